"""The SIE reader and writer: well-formed files round-trip, malformed ones are rejected with
the line and the reason. Every file here is written by the project's own writer."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uppsikt.budget.sie import Balance, SieError, SieFile, SieWriteError, read_sie, write_sie
from uppsikt.budget.sie.tokens import TokenError, tokenize


def ledger(**changes) -> SieFile:
    sie = SieFile(
        company_name="Region Örebro län (exempel)",
        program="Uppsikt",
        program_version="1",
        generated=date(2024, 1, 10),
        sie_type=4,
        fiscal_years={0: (date(2023, 1, 1), date(2023, 12, 31))},
        accounts={4010: "Köpt vård", 5010: "Löner", 3090: "Övriga intäkter"},
        dimensions={1: "Kostnadsställe"},
        objects={(1, "2100"): "Vårdval Hälsoval", (1, "3100"): "Tandvårdsstöd"},
        period_balances=[
            Balance(0, 4010, Decimal("1250.50"), "2023-01", ((1, "2100"),)),
            Balance(0, 4010, Decimal("1250.50"), "2023-01"),
            Balance(0, 3090, Decimal("-200"), "2023-02", ((1, "3100"),)),
        ],
    )
    for name, value in changes.items():
        setattr(sie, name, value)
    return sie


def problems(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(SieError) as excinfo:
        read_sie(data)
    return excinfo.value.problems


def lines_of(sie: SieFile) -> list[str]:
    return write_sie(sie).decode("cp437").split("\r\n")


def replace_line(data: bytes, startswith: str, new: str | None) -> bytes:
    lines = data.decode("cp437").split("\r\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    if new is None:
        del lines[index]
    else:
        lines[index] = new
    return "\r\n".join(lines).encode("cp437")


def test_tokenizer_quotes_escapes_and_object_lists():
    assert tokenize('#KONTO 1915 "Kassa \\"special\\""') == ["#KONTO", "1915", 'Kassa "special"']
    assert tokenize('#PSALDO\t0 202301  4010 {1 "2100" 6 "P 1"} 1.00') == [
        "#PSALDO",
        "0",
        "202301",
        "4010",
        ["1", "2100", "6", "P 1"],
        "1.00",
    ]
    assert tokenize("#TRANS 1910 { } -1000.00") == ["#TRANS", "1910", [], "-1000.00"]
    assert tokenize('#X "a\\\\b"') == ["#X", "a\\b"]
    with pytest.raises(TokenError, match="avslutas aldrig"):
        tokenize('#KONTO 4010 "Köpt vård')
    with pytest.raises(TokenError, match="objektlistan avslutas aldrig"):
        tokenize("#PSALDO 0 202301 4010 {1 2100 1.00")
    with pytest.raises(TokenError, match="en annan"):
        tokenize("#PSALDO 0 202301 4010 {1 {2100}} 1.00")


def test_written_file_is_pc8_with_crlf_and_reads_back():
    data = write_sie(ledger())
    assert "Örebro".encode("cp437") in data and b"\r\n" in data
    assert data.startswith(b"#FLAGGA 0\r\n")
    sie = read_sie(data)
    assert sie.company_name == "Region Örebro län (exempel)"
    assert sie.accounts[4010] == "Köpt vård"
    assert sie.objects[(1, "2100")] == "Vårdval Hälsoval"
    assert [b.amount for b in sie.period_balances] == [
        Decimal("1250.50"),
        Decimal("1250.50"),
        Decimal("-200.00"),
    ]
    assert sie.period_balances[0].objects == ((1, "2100"),)
    assert sie.period_balances[1].objects == ()
    assert sie.period_balances[0].line > 0


names = st.text(
    alphabet=st.sampled_from('abcåäöÅÄÖé -/"\\()*,.0123456789'), min_size=0, max_size=20
)
amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2)


@st.composite
def sie_files(draw) -> SieFile:
    accounts = draw(st.dictionaries(st.integers(1000, 8999), names, min_size=1, max_size=6))
    objects = draw(
        st.dictionaries(
            st.tuples(
                st.sampled_from([1, 2, 6, 20]), st.from_regex(r"[0-9A-Z]{1,5}", fullmatch=True)
            ),
            names,
            max_size=5,
        )
    )
    object_lists = [(), *(((dim, code),) for dim, code in objects)]
    balances = draw(
        st.lists(
            st.builds(
                Balance,
                year_index=st.just(0),
                account=st.sampled_from(sorted(accounts)),
                amount=amounts,
                period=st.integers(1, 12).map(lambda m: f"2023-{m:02d}"),
                objects=st.sampled_from(object_lists),
            ),
            max_size=15,
        )
    )
    return ledger(
        company_name=draw(names),
        accounts=accounts,
        dimensions={20: "Fri dimension"},
        objects=objects,
        period_balances=balances,
        period_budgets=balances[::2],
        results=[Balance(0, a, Decimal(7)) for a in sorted(accounts)[:2]],
    )


@settings(max_examples=60, deadline=None)
@given(sie_files(), st.booleans())
def test_write_then_read_gives_the_same_ledger(sie, checksum):
    back = read_sie(write_sie(sie, checksum=checksum))
    assert back.checksum_verified == checksum
    assert (back.company_name, back.accounts, back.objects) == (
        sie.company_name,
        sie.accounts,
        sie.objects,
    )
    assert back.fiscal_years == sie.fiscal_years
    for mine, theirs in (
        (sie.period_balances, back.period_balances),
        (sie.period_budgets, back.period_budgets),
        (sie.results, back.results),
    ):
        assert len(mine) == len(theirs)
        assert all(a.same_as(b) for a, b in zip(mine, theirs, strict=True))


def test_writer_refuses_characters_pc8_lacks():
    with pytest.raises(SieWriteError, match="–"):
        write_sie(ledger(company_name="Region – exempel"))


def test_utf8_file_is_rejected_naming_the_line():
    data = write_sie(ledger()).decode("cp437").encode("utf-8")
    ((line, message),) = problems(data)
    assert line == lines_of(ledger()).index('#FNAMN "Region Örebro län (exempel)"') + 1
    assert "UTF-8" in message and "PC8" in message


def test_windows_1252_file_is_rejected():
    data = write_sie(ledger()).decode("cp437").encode("cp1252")
    ((_line, message),) = problems(data)
    assert "Windows-1252" in message


def test_bom_and_control_characters_are_rejected():
    assert "BOM" in problems(b"\xef\xbb\xbf" + write_sie(ledger()))[0][1]
    data = replace_line(write_sie(ledger()), "#FNAMN", '#FNAMN "Region\x07"')
    ((line, message),) = problems(data)
    assert line == 6 and "styrtecken" in message


def test_missing_konto_is_named_at_each_line_that_uses_it():
    data = replace_line(write_sie(ledger()), "#KONTO 4010", None)
    found = problems(data)
    assert [message for _line, message in found] == [
        "konto 4010 finns inte i filens kontoplan (ingen #KONTO-post)"
    ] * 2
    lines = data.decode("cp437").split("\r\n")
    assert [lines[line - 1].split()[3] for line, _m in found] == ["4010", "4010"]


def test_no_chart_of_accounts_at_all():
    sie = ledger(accounts={}, period_balances=[])
    assert (0, "filen saknar kontoplan (inga #KONTO-poster)") in problems(write_sie(sie))


def test_psaldo_with_unknown_object_is_rejected():
    data = replace_line(write_sie(ledger()), '#OBJEKT 1 "3100"', None)
    ((line, message),) = problems(data)
    assert data.decode("cp437").split("\r\n")[line - 1].startswith("#PSALDO 0 202302 3090")
    assert message == "objektet ”3100” i dimension 1 finns inte (ingen #OBJEKT-post)"


def test_object_in_undeclared_free_dimension_is_rejected():
    sie = ledger(objects={(25, "X"): "Fritt"}, period_balances=[])
    ((_line, message),) = problems(write_sie(sie))
    assert "dimension 25 är inte deklarerad" in message


def test_truncated_lines_name_what_is_missing():
    data = replace_line(write_sie(ledger()), "#PSALDO 0 202302", "#PSALDO 0 202302 3090")
    ((line, message),) = problems(data)
    assert message == (
        "raden är ofullständig: #PSALDO ska ha årsnr, period, konto, {objektlista} och belopp"
    )
    assert data.decode("cp437").split("\r\n")[line - 1] == "#PSALDO 0 202302 3090"
    cut = write_sie(ledger()).decode("cp437")
    cut = cut[: cut.index('"Vårdval Hälsoval"') + 6]  # ends inside a quoted name
    (found,) = problems(cut.encode("cp437"))
    assert "citattecknet" in found[1] and "avslutas aldrig" in found[1]


def test_file_cut_inside_a_verification_block_or_checksum():
    data = write_sie(ledger()) + '#VER A 1 20230105 "Lön"\r\n{\r\n#TRANS 5010 {} 100.00\r\n'.encode(
        "cp437"
    )
    ((line, message),) = problems(data)
    assert "stängs aldrig" in message and line == len(lines_of(ledger())) + 1  # the "{"
    data = write_sie(ledger(), checksum=True)
    cut = data[: data.rindex(b"#KSUMMA")]
    assert any("avkortad" in message for _line, message in problems(cut))


def test_changed_content_breaks_the_checksum():
    data = write_sie(ledger(), checksum=True).replace(b"1250.50", b"1250.51", 1)
    ((_line, message),) = problems(data)
    assert "kontrollsumman stämmer inte" in message


def test_every_problem_is_listed_in_line_order():
    data = write_sie(ledger()).decode("cp437").split("\r\n")
    data[data.index("#FORMAT PC8")] = "#FORMAT PC437"
    data.insert(len(data) - 1, "#PSALDO 0 202313 4010 {} 1,00")
    data.insert(len(data) - 1, "#RES 0 40X0 12.00")
    data.insert(len(data) - 1, "text without a label")
    found = problems("\r\n".join(data).encode("cp437"))
    messages = [message for _line, message in found]
    assert [line for line, _m in found] == sorted(line for line, _m in found)
    assert any("formatet är ”PC437”" in m for m in messages)
    assert any("”202313” är ingen period" in m for m in messages)
    assert any("kontonumret ska vara numeriskt" in m for m in messages)
    assert any("börjar inte med en etikett" in m for m in messages)
    assert any("#FORMAT saknas" in m for m in messages)


def test_period_outside_the_fiscal_year_and_missing_rar():
    sie = ledger(period_balances=[Balance(0, 4010, Decimal(1), "2024-01")])
    assert "ligger utanför räkenskapsåret" in problems(write_sie(sie))[0][1]
    sie = ledger(period_balances=[Balance(-1, 4010, Decimal(1), "2022-01")])
    assert "årsnr -1 saknar räkenskapsår" in problems(write_sie(sie))[0][1]


def test_unknown_labels_extra_fields_and_verifications_are_ignored():
    text = write_sie(ledger()).decode("cp437")
    text = text.replace("#SIETYP 4", "#SIETYP 4\r\n#NYETIKETT 1 2 3")
    text = text.replace('#KONTO 5010 "Löner"', '#KONTO 5010 "Löner" extra fält')
    text += (
        '#VER A 1 20230105 "Lön"\r\n{\r\n#TRANS 5010 {} 100.00\r\n#TRANS 1930 {} -100.00\r\n}\r\n'
    )
    sie = read_sie(text.encode("cp437"))
    assert sie.accounts[5010] == "Löner"
    assert len(sie.period_balances) == 3


def test_file_must_start_with_flagga():
    data = write_sie(ledger()).split(b"\r\n", 1)[1]
    assert "ska börja med #FLAGGA" in problems(data)[0][1]


def test_fast_path_reads_period_balances_as_the_general_path_does():
    from uppsikt.budget.sie.fields import fast_period_balance, read_period_balance

    line = '#PSALDO 0 202301 4010 {1 "2100" 6 "P 1"} -12.50 3'
    fast = fast_period_balance(line, 7)
    general = read_period_balance(7, tokenize(line)[1:])
    assert (
        fast
        == general
        == Balance(0, 4010, Decimal("-12.50"), "2023-01", ((1, "2100"), (6, "P 1")), 7)
    )
    assert fast_period_balance("#PBUDGET -1 202212 3010 {} 5", 1) == Balance(
        -1, 3010, Decimal(5), "2022-12", (), 1
    )
    # Anything unusual goes to the general path, which names the problem.
    for odd in (
        "#PSALDO 0 202301 4010 {1} 1.00",
        '#PSALDO 0 202301 4010 {"1" "2100"} 1.00',
        "#PSALDO 0 202313 4010 {} 1.00",
        "#PSALDO 0 202301 4010 {} 1,00",
        '#PSALDO 0 202301 4010 {1 "a\\"b"} 1.00',
    ):
        assert fast_period_balance(odd, 1) is None, odd


@settings(max_examples=40, deadline=None)
@given(sie_files())
def test_fast_and_general_paths_agree(sie):
    """The checksum makes the reader take the general path for every line."""
    fast = read_sie(write_sie(sie)).period_balances
    general = read_sie(write_sie(sie, checksum=True)).period_balances
    assert [(b.account, b.amount, b.period, b.objects) for b in fast] == [
        (b.account, b.amount, b.period, b.objects) for b in general
    ]


def test_a_file_without_a_date_is_dated_the_swedish_day(monkeypatch):
    import datetime

    from django.utils import timezone

    late = datetime.datetime(2024, 1, 10, 23, 30, tzinfo=datetime.UTC)  # 00.30 in Stockholm
    monkeypatch.setattr(timezone, "now", lambda: late)
    gen = next(line for line in lines_of(ledger(generated=None)) if line.startswith("#GEN"))
    assert gen == "#GEN 20240111"
