"""Onboarding: an organisation set up from the official registry, its unit tree built by
form and read from a file, and what is refused (nothing changed, every problem named)."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.builders import load_minimal, user_with_role
from uppsikt.administration.actions import import_units, set_up_organisation
from uppsikt.administration.queries import set_up_organisations, unit_tree
from uppsikt.administration.unit_file import TreeRefused, export_csv, read
from uppsikt.audit.models import AuditEvent
from uppsikt.governance import words
from uppsikt.governance.actions import save_styrmodell, spec_of
from uppsikt.governance.models import GovernanceModel
from uppsikt.indicators.models import IndicatorDefinition, Measurement
from uppsikt.organisations.models import Organisation, Unit

pytestmark = pytest.mark.django_db

TREE = (
    "slug;namn;typ;överordnad;ansvar\n"
    "kf;Kommunfullmäktige;Fullmäktige;;\n"
    "ks;Kommunstyrelsen;styrelse;kf;Leder och samordnar\n"
    "bun;Barn- och utbildningsnämnden;Nämnd;kf;Förskola och skola\n"
    "kansliet;Kommunkansliet;kansli;ks;\n"
)


@pytest.fixture
def installer():
    return get_user_model().objects.create_superuser("rot", password="x-test-pass-1")


@pytest.fixture
def set_up_kommun(installer):
    return set_up_organisation(actor=installer, code="1814")


def _state() -> tuple[int, int, int]:
    return Organisation.objects.count(), Unit.objects.count(), AuditEvent.objects.count()


def _problems(refused: TreeRefused) -> dict[str, list[int | None]]:
    found: dict[str, list[int | None]] = {}
    for problem in refused.problems:
        found.setdefault(problem.code, []).append(problem.line)
    return found


# -- setting up an organisation -------------------------------------------------------------


def test_a_kommun_is_set_up_from_the_registry_with_the_default_styrmodell(installer):
    organisation = set_up_organisation(actor=installer, code=" 1814 ")
    assert (organisation.code, organisation.name, organisation.kind, organisation.county_code) == (
        "1814",
        "Lekeberg",
        "kommun",
        "18",
    )
    model = GovernanceModel.objects.get(organisation=organisation)
    stored = words.styrmodell_for(organisation.pk)
    assert not stored.is_default and model.name == words.DEFAULT.name
    assert spec_of(stored) == spec_of(words.DEFAULT)
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions == ["organisation.set_up", "styrmodell.create"]
    event = AuditEvent.objects.get(action="organisation.set_up")
    assert event.before is None and event.after["name"] == "Lekeberg"
    assert list(set_up_organisations()) == [organisation]


def test_a_bare_comparison_row_is_taken_over_and_keeps_its_values(installer):
    bare = Organisation.objects.create(code="1814", name="Lekebergs kommun", kind="kommun")
    definition = IndicatorDefinition.objects.create(key="k", name="Nöjdhet", unit="procent")
    Measurement.objects.create(
        definition=definition, organisation=bare, period="2022", value=Decimal("7")
    )
    assert list(set_up_organisations()) == []
    organisation = set_up_organisation(actor=installer, code="1814")
    assert organisation.pk == bare.pk and organisation.name == "Lekeberg"
    assert Measurement.objects.get().organisation_id == bare.pk
    event = AuditEvent.objects.get(action="organisation.set_up")
    assert event.before["name"] == "Lekebergs kommun" and event.after["county_code"] == "18"


@pytest.mark.parametrize("code", ["9999", "0000", "", "abcd", "18140"])
def test_a_code_not_in_the_registry_is_refused_and_nothing_changes(installer, code):
    before = _state()
    with pytest.raises(ValidationError) as refused:
        set_up_organisation(actor=installer, code=code)
    assert refused.value.error_dict["code"][0].code == "unknown_code"
    assert "officiella registret" in refused.value.messages[0]
    assert _state() == before


def test_an_organisation_with_units_or_a_styrmodell_is_already_set_up(installer):
    load_minimal()  # 0099, with units
    bare = Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    save_styrmodell(bare, spec_of(words.DEFAULT), actor=installer)
    Organisation.objects.create(code="0018", name="Region Örebro län", kind="region")
    Unit.objects.create(
        organisation=Organisation.objects.get(code="0018"), slug="rf", name="RF", kind="fullmaktige"
    )
    before = _state()
    for code in ("1880", "0018"):
        with pytest.raises(ValidationError) as refused:
            set_up_organisation(actor=installer, code=code)
        assert refused.value.error_dict["code"][0].code == "already_set_up"
        assert "redan uppsatt" in refused.value.messages[0]
    assert _state() == before


def test_only_the_installations_administrator_sets_up_an_organisation():
    load_minimal()
    admin = user_with_role("admin", "administrator")  # over all of 0099
    before = _state()
    with pytest.raises(PermissionDenied):
        set_up_organisation(actor=admin, code="1814")
    assert _state() == before


# -- importing a unit tree ----------------------------------------------------------------


def test_a_valid_file_creates_the_tree_parents_first_and_audits_each_unit(installer, set_up_kommun):
    # Children before their parents in the file: the order of creation is the tree's.
    content = (
        "Slug,Namn,Typ,Overordnad\r\n"
        "kansliet,Kommunkansliet,Kansli,ks\r\n"
        "ks,Kommunstyrelsen,Styrelse,kf\r\n"
        "kf,Kommunfullmäktige,fullmaktige,\r\n"
    ).encode("cp1252")
    before = AuditEvent.objects.count()
    created = import_units(set_up_kommun, read(content), actor=installer, file_name="enheter.csv")
    assert [unit.slug for unit in created] == ["kf", "ks", "kansliet"]
    kansliet = Unit.objects.get(organisation=set_up_kommun, slug="kansliet")
    assert [a.slug for a in kansliet.ancestors()] == ["kf", "ks"]
    assert kansliet.kind == "kansli"
    events = list(
        AuditEvent.objects.filter(sequence__gt=0).order_by("sequence").values_list("action")
    )[before:]
    assert [e[0] for e in events] == ["unit.create"] * 3 + ["unit.import"]
    summary = AuditEvent.objects.get(action="unit.import")
    assert summary.after == {"file": "enheter.csv", "units": ["kf", "ks", "kansliet"]}


def test_a_file_may_add_a_subtree_under_an_existing_unit(installer, set_up_kommun):
    import_units(set_up_kommun, read(TREE.encode()), actor=installer)
    more = "slug;namn;typ;överordnad\nskolor;Skolenheten;enhet;bun\nforskolor;Förskolor;enhet;bun\n"
    import_units(set_up_kommun, read(more.encode()), actor=installer)
    bun = Unit.objects.get(organisation=set_up_kommun, slug="bun")
    assert [(u.slug, u.position) for u in bun.children.order_by("position")] == [
        ("skolor", 0),
        ("forskolor", 1),
    ]


def test_an_xlsx_file_is_read_like_a_csv(installer, set_up_kommun):
    book = Workbook()
    sheet = book.active
    for line in TREE.splitlines():
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    import_units(set_up_kommun, read(buffer.getvalue()), actor=installer)
    assert Unit.objects.get(organisation=set_up_kommun, slug="ks").responsibility == (
        "Leder och samordnar"
    )


def test_every_problem_is_named_at_its_line_and_nothing_is_created(installer, set_up_kommun):
    import_units(
        set_up_kommun,
        read("slug;namn;typ;överordnad\nkf;KF;fullmaktige;\n".encode()),
        actor=installer,
    )
    content = (
        "slug;namn;typ;överordnad;ansvar\n"
        "a;A;nämnd;b;\n"  # 2: a → b → c → a
        "b;B;namnd;c;\n"
        "c;C;namnd;a;\n"
        "d;D;namnd;saknas;\n"  # 5: unknown parent
        "e;E;namnd;kf;\n"
        "e;E igen;namnd;kf;\n"  # 7: duplicate in the file
        "kf;Ny KF;fullmaktige;;\n"  # 8: taken in the organisation
        "Fel Slug;F;namnd;kf;\n"  # 9: invalid slug
        "g;G;avdelning;kf;\n"  # 10: unknown kind
        "h;;namnd;kf;\n"  # 11: no name
        "i;I;namnd;i;\n"  # 12: its own parent
    )
    before = _state()
    with pytest.raises(TreeRefused) as refused:
        import_units(set_up_kommun, read(content.encode()), actor=installer)
    assert _problems(refused.value) == {"slug": [9], "unknown_kind": [10], "required": [11]}
    # The lines are fine one by one once those are fixed; the tree's problems come next.
    fixed = content.replace("Fel Slug", "f").replace("avdelning", "enhet").replace("h;;", "h;H;")
    with pytest.raises(TreeRefused) as refused:
        import_units(set_up_kommun, read(fixed.encode()), actor=installer)
    assert _problems(refused.value) == {
        "loop": [2, 12],
        "unknown_parent": [5],
        "duplicate_slug": [7],
        "slug_taken": [8],
    }
    messages = [str(problem) for problem in refused.value.problems]
    assert (
        "rad 2: de överordnade enheterna bildar en slinga: a (rad 2), b (rad 3), c (rad 4)"
        in (messages[0])
    )
    assert any("rad 7: slug ”e” finns redan på rad 6" in m for m in messages)
    assert _state() == before


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"slug;namn;typ\nkf;KF;fullmaktige\n", "missing_column"),
        (b"slug;namn;typ;overordnad;farg\nkf;KF;fullmaktige;;gul\n", "unknown_column"),
        (b"slug;namn;typ;overordnad\n", "empty"),
        (b"", "empty"),
        (b"PK\x03\x04 not really a workbook", "unreadable"),
        ("slug;namn;typ;överordnad\nkf;KF;fullmäktige;\n".encode("utf-16"), "unreadable"),
    ],
)
def test_a_file_without_the_columns_or_the_units_is_refused(content, code):
    with pytest.raises(TreeRefused) as refused:
        read(content)
    assert code in _problems(refused.value)


def test_the_organisations_administrator_imports_and_a_planner_may_not(installer, set_up_kommun):
    import_units(
        set_up_kommun,
        read("slug;namn;typ;överordnad\nkf;KF;fullmaktige;\n".encode()),
        actor=installer,
    )
    admin = user_with_role("admin", "administrator", Unit.objects.get(slug="kf"))
    planner = user_with_role("planerare", "planerare", Unit.objects.get(slug="kf"))
    rows = read("slug;namn;typ;överordnad\nks;KS;styrelse;kf\n".encode())
    with pytest.raises(PermissionDenied):
        import_units(set_up_kommun, rows, actor=planner)
    import_units(set_up_kommun, rows, actor=admin)
    assert Unit.objects.filter(organisation=set_up_kommun).count() == 2


# -- the pages --------------------------------------------------------------------------------


def test_the_organisations_page_lists_only_organisations_set_up(client, installer):
    load_minimal()
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")  # a bare row
    client.force_login(installer)
    html = client.get(reverse("administration:organisations")).content.decode()
    assert "Region Test" in html and "Örebro" not in html
    assert reverse("administration:new_organisation") in html
    assert reverse("administration:units", args=["0099"]) in html


def test_a_new_organisation_is_found_in_the_registry_and_set_up(client, installer):
    Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    region = Organisation.objects.create(code="0018", name="Region Örebro län", kind="region")
    Unit.objects.create(organisation=region, slug="rf", name="RF", kind="fullmaktige")
    client.force_login(installer)
    url = reverse("administration:new_organisation")
    html = client.get(url, {"q": "öREbro"}).content.decode()
    assert "2 träffar på ”öREbro”" in html
    assert "Finns som jämförelserad" in html and "Redan uppsatt" in html
    assert "Sätt upp Örebro" in html and "Sätt upp Region Örebro län" not in html
    assert "Sätt upp Lekeberg" not in html
    html = client.get(url, {"q": "181"}).content.decode()
    assert "Sätt upp Lekeberg" in html and "Finns inte" in html
    assert "Riket" not in client.get(url, {"q": "0000"}).content.decode()
    response = client.post(url, {"code": "1880"})
    assert response.status_code == 302
    assert response.url == reverse("administration:units", args=["1880"])
    page = client.get(response.url).content.decode()
    assert "Örebro är uppsatt med standardstyrmodellen" in page
    assert "Organisationen har inga enheter ännu" in page


def test_the_set_up_buttons_get_their_dark_colour_on_the_white_page(client, installer):
    """The "Sätt upp …" buttons are ``link-button--dark``: without the sheet that colours
    them they are white on white (axe-core: color-contrast)."""
    client.force_login(installer)
    html = client.get(reverse("administration:new_organisation"), {"q": "181"}).content.decode()
    assert 'class="link-button link-button--dark">Sätt upp Lekeberg' in html
    assert "/accounts/accounts.css" in html


def test_the_new_organisation_page_says_why_a_code_is_refused(client, installer):
    load_minimal()
    client.force_login(installer)
    url = reverse("administration:new_organisation")
    before = _state()
    html = client.post(url, {"code": "9999"}).content.decode()
    assert "Koden 9999 finns inte bland regionerna och kommunerna" in html
    set_up_organisation(actor=installer, code="1814")
    before = _state()
    html = client.post(url, {"code": "1814"}).content.decode()
    assert "Lekeberg (1814) är redan uppsatt" in html
    assert _state() == before


def test_units_are_added_and_changed_by_form(client, installer, set_up_kommun):
    client.force_login(installer)
    url = reverse("administration:units", args=["1814"])
    form = {"parent": "", "slug": "kf", "name": "Kommunfullmäktige", "kind": "fullmaktige"}
    assert client.post(url, form).status_code == 302
    kf = Unit.objects.get(organisation=set_up_kommun, slug="kf")
    child = {"parent": str(kf.pk), "slug": "ks", "name": "KS", "kind": "styrelse"}
    assert client.post(url, {**child, "responsibility": "Allt"}).status_code == 302
    html = client.post(url, {**child, "name": "Igen"}).content.decode()
    assert "Formuläret har fel" in html  # the slug is taken: the model's rule, in Swedish
    html = client.post(url, {**child, "slug": "Fel slug"}).content.decode()
    assert "gemena bokstäver" in html
    html = client.get(url).content.decode()
    assert "Kommunfullmäktige" in html and "&emsp;" not in html
    edit = reverse("administration:unit_edit", args=["1814", "ks"])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "Kommunstyrelsen", "kind": "styrelse"})
    assert response.status_code == 302
    ks = Unit.objects.get(organisation=set_up_kommun, slug="ks")
    assert (ks.name, ks.responsibility, ks.parent_id, ks.position) == (
        "Kommunstyrelsen",
        "",
        kf.pk,
        0,
    )


def test_a_file_is_imported_through_the_page_and_exported_in_the_same_format(
    client, installer, set_up_kommun
):
    client.force_login(installer)
    url = reverse("administration:units_import", args=["1814"])
    bad = SimpleUploadedFile("enheter.csv", b"slug;namn;typ;overordnad\nx;X;namnd;y\n")
    html = client.post(url, {"file": bad}).content.decode()
    assert "Filen lästes inte in" in html
    assert "rad 2:</strong> den överordnade enheten ”y” finns varken" in html
    assert not Unit.objects.filter(organisation=set_up_kommun).exists()
    good = SimpleUploadedFile("enheter.csv", TREE.encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    exported = client.get(reverse("administration:units_export", args=["1814"]))
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "slug;namn;typ;överordnad;ansvar",
        "kf;Kommunfullmäktige;fullmaktige;;",
        "ks;Kommunstyrelsen;styrelse;kf;Leder och samordnar",
        "kansliet;Kommunkansliet;kansli;ks;",
        "bun;Barn- och utbildningsnämnden;namnd;kf;Förskola och skola",
    ]


def test_the_unit_pages_need_the_whole_organisation(client, installer, set_up_kommun):
    import_units(set_up_kommun, read(TREE.encode()), actor=installer)
    ks_admin = user_with_role("ks-admin", "administrator", Unit.objects.get(slug="ks"))
    kf_admin = user_with_role("kf-admin", "administrator", Unit.objects.get(slug="kf"))
    urls = [
        reverse("administration:units", args=["1814"]),
        reverse("administration:units_import", args=["1814"]),
        reverse("administration:units_export", args=["1814"]),
        reverse("administration:unit_edit", args=["1814", "ks"]),
    ]
    client.force_login(ks_admin)
    assert [client.get(url).status_code for url in urls] == [403] * 4
    assert "Lekeberg" not in client.get(reverse("administration:organisations")).content.decode()
    assert client.get(reverse("administration:new_organisation")).status_code == 403
    client.force_login(kf_admin)
    assert [client.get(url).status_code for url in urls] == [200] * 4
    assert "Lekeberg" in client.get(reverse("administration:organisations")).content.decode()
    bare = Organisation.objects.create(code="1880", name="Örebro", kind="kommun")
    client.force_login(installer)
    assert client.get(reverse("administration:units", args=[bare.code])).status_code == 404


def test_the_export_keeps_a_formula_like_name_as_text_and_reads_it_back(installer, set_up_kommun):
    content = "slug;namn;typ;överordnad\nkf;=SUMMA(A1);fullmaktige;\n".encode()
    import_units(set_up_kommun, read(content), actor=installer)
    exported = export_csv(unit_tree(set_up_kommun))
    assert "'=SUMMA(A1)" in exported.decode("utf-8-sig")
    assert read(exported)[0].name == "=SUMMA(A1)"
