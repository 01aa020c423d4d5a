"""Finishing WeasyPrint's tagged PDF so that a PDF/UA-1 checker finds nothing to fault.

WeasyPrint (``pdf_variant="pdf/ua-1"``) writes the structure tree from the HTML, with two
gaps a checker (the ``pdfua`` package in the tests; veraPDF by hand) reports on every report:

1. **Header cells without /Scope.** A ``<th>`` becomes a ``/TH`` with an ``/ID``, and each
   ``/TD`` gets ``/Headers`` naming its header cells, but the ``scope`` of
   ``<th scope="col">`` and ``<th scope="row">`` is not written. :func:`scope_header_cells`
   adds it to the cell's table attributes (``/A << /O /Table /Scope /Column >>``):
   ``/Column`` for a header cell in a ``/THead``, ``/Row`` for every other one. That is the
   report templates' convention (``reports/blocks/table.html``: column headers in
   ``<thead>``; each body row named by its first cell, a ``<th scope="row">``), which
   tests/test_report_pdfua.py holds the printable HTML to.
2. **Decorative symbols tagged as figures.** Every ``<svg>`` and ``<img>`` becomes a
   ``/Figure``, also the status symbols the HTML hides from assistive technology
   (``aria-hidden="true"``: the status is written in words beside them). WeasyPrint gives
   a figure its ``/Alt`` from ``<img alt>`` or the SVG's ``<title>``, which every meaningful
   picture of a report has (the charts, the logo; the tests check it), so a figure with
   neither ``/Alt`` nor ``/ActualText`` is such a symbol. PDF/UA-1 §7.1 wants decoration
   marked as an artifact: :func:`artifact_decorative_figures` turns its marked content into
   an ``/Artifact`` sequence and takes the figure out of the structure tree and the parent
   tree. The page looks the same; a screen reader reads the status once, in words.

:func:`finish_tags` is given to WeasyPrint as the ``finisher`` of ``write_pdf``: it works on
the PDF's objects (``pydyf``, WeasyPrint's own PDF writer) after the tags are made and
before the file is written, so it needs no PDF library of its own and costs a few
milliseconds. Neither step changes what is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator

import pydyf

NULL = b"null"  # pydyf writes bytes as they are; ``None`` would be written as "None"


def finish_tags(document: object, pdf: pydyf.PDF) -> None:
    """WeasyPrint's ``finisher``: scope the header cells, make decorative figures artifacts."""
    scope_header_cells(pdf)
    artifact_decorative_figures(pdf)


def resolve(pdf: pydyf.PDF, value: object) -> object:
    """The object an indirect reference (``b"12 0 R"``) points at; any other value as it is."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def struct_elements(pdf: pydyf.PDF) -> Iterator[pydyf.Dictionary]:
    """Every structure element of ``pdf`` still in use, in the order they were made."""
    for item in pdf.objects:
        if (
            isinstance(item, pydyf.Dictionary)
            and item.get("Type") == "/StructElem"
            and item.free != "f"
        ):
            yield item


# -- header cells --------------------------------------------------------------------------


def scope_header_cells(pdf: pydyf.PDF) -> int:
    """Give every ``/TH`` without one a ``/Scope``; the number of cells given one."""
    scoped = 0
    for element in struct_elements(pdf):
        if element.get("S") != "/TH":
            continue
        row = resolve(pdf, element.get("P"))
        group = resolve(pdf, row.get("P")) if isinstance(row, dict) else None
        in_head = isinstance(group, dict) and group.get("S") == "/THead"
        scoped += _set_scope(element, "/Column" if in_head else "/Row")
    return scoped


def _set_scope(cell: pydyf.Dictionary, scope: str) -> bool:
    """Put ``scope`` in the cell's table attributes unless it has a scope already."""
    attributes = cell.get("A")
    owned = (
        [attributes]
        if isinstance(attributes, dict)
        else [item for item in attributes if isinstance(item, dict)]
        if isinstance(attributes, list)
        else []
    )
    table = next((item for item in owned if item.get("O") == "/Table"), None)
    if table is not None:
        if "Scope" in table:
            return False
        table["Scope"] = scope
        return True
    added = pydyf.Dictionary({"O": "/Table", "Scope": scope})
    if attributes is None:
        cell["A"] = added
    elif isinstance(attributes, list):
        attributes.append(added)
    else:
        cell["A"] = pydyf.Array([attributes, added])
    return True


# -- decorative figures ---------------------------------------------------------------------


def artifact_decorative_figures(pdf: pydyf.PDF) -> int:
    """Mark every figure without ``/Alt`` or ``/ActualText`` as an artifact; how many.

    A figure whose marked content is not found in its page's content stream (as
    ``/Figure <</MCID n>> BDC``) is left as it is, so a checker still reports it.
    """
    done = 0
    for figure in list(struct_elements(pdf)):
        if figure.get("S") != "/Figure" or "Alt" in figure or "ActualText" in figure:
            continue
        page, mcids = resolve(pdf, figure.get("Pg")), figure.get("K")
        if not isinstance(page, dict) or not mcids or not all(isinstance(n, int) for n in mcids):
            continue  # not the shape WeasyPrint writes: left for the checker to report
        stream = resolve(pdf, page.get("Contents"))
        if not isinstance(stream, pydyf.Stream) or not _artifact_in_stream(stream, set(mcids)):
            continue
        _forget(pdf, figure, page, mcids)
        done += 1
    return done


def _artifact_in_stream(stream: pydyf.Stream, mcids: set[int]) -> bool:
    """Rewrite ``/Figure <</MCID n>> BDC`` as ``/Artifact BMC`` for each n of ``mcids`` (the
    matching ``EMC`` stays). True when every one was found; nothing changes otherwise."""
    items = stream.stream
    found = [
        index
        for index in range(len(items) - 2)
        if items[index] == "/Figure"
        and isinstance(items[index + 1], dict)
        and items[index + 1].get("MCID") in mcids
        and items[index + 2] == b"BDC"
    ]
    if {items[index + 1]["MCID"] for index in found} != mcids:
        return False
    for index in reversed(found):
        items[index : index + 3] = ["/Artifact", b"BMC"]
    return True


def _forget(pdf: pydyf.PDF, figure: pydyf.Dictionary, page: dict, mcids: list[int]) -> None:
    """Take ``figure`` out of its parent, out of the parent tree, and out of the file."""
    parent = resolve(pdf, figure.get("P"))
    if isinstance(parent, dict) and isinstance(parent.get("K"), list):
        parent["K"][:] = [kid for kid in parent["K"] if kid != figure.reference]
    root = resolve(pdf, pdf.catalog.get("StructTreeRoot"))
    parent_tree = resolve(pdf, root.get("ParentTree")) if isinstance(root, dict) else None
    numbers = parent_tree.get("Nums", []) if isinstance(parent_tree, dict) else []
    key = page.get("StructParents")
    for at in range(0, len(numbers) - 1, 2):
        if numbers[at] == key and isinstance(numbers[at + 1], list):
            for mcid in mcids:
                if mcid < len(numbers[at + 1]):
                    numbers[at + 1][mcid] = NULL
    figure.free = "f"  # an object nothing refers to any more: pydyf leaves it out
