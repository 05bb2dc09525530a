"""Reading GIAS files: pure parsing, no database."""

import pytest

from schools.gias import GiasFileError, Rejection, parse

from .gias_files import COLUMNS, gias_csv, school_row


def test_reads_columns_by_name_whatever_their_order():
    reordered = list(reversed(COLUMNS))
    parsed = parse(gias_csv([school_row("102401", "Brookfield Primary School")], columns=reordered))
    (row,) = parsed.rows
    assert (row.line, row.urn, row.name, row.la_code, row.pupils, row.postcode) == (
        2,
        "102401",
        "Brookfield Primary School",
        "312",
        280,
        "UB8 1AA",
    )
    assert row.gias_status == "Open"
    assert row.establishment_type == "Community school"


def test_blank_pupil_number_is_none_not_zero():
    parsed = parse(gias_csv([school_row("102401", NumberOfPupils="")]))
    assert parsed.rows[0].pupils is None


def test_windows_1252_accented_name():
    data = gias_csv([school_row("102408", "St Mary's Église Catholic Primary School")])
    assert b"\xc9glise" in data
    assert parse(data).rows[0].name == "St Mary's Église Catholic Primary School"


def test_utf8_with_byte_order_mark():
    data = gias_csv([school_row("102408", "École Élan Primary")], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    (row,) = parse(data).rows
    assert (row.urn, row.name) == ("102408", "École Élan Primary")


def test_utf8_without_byte_order_mark():
    data = gias_csv([school_row("102408", "École Élan Primary")], encoding="utf-8")
    assert parse(data).rows[0].name == "École Élan Primary"


def test_bad_rows_are_rejected_with_their_physical_line_numbers():
    data = gias_csv(
        [
            school_row("102401"),  # line 2
            school_row("", "No URN School"),  # line 3
            school_row("12345", "Short URN School"),  # line 4
            school_row("102404", ""),  # line 5
            school_row("102405", NumberOfPupils="12.5"),  # line 6
            school_row("102406", NumberOfPupils="about 300"),  # line 7
            school_row("102401", "Again Primary"),  # line 8
            school_row("102409", Postcode="UB8 1AA EXTRA"),  # line 9
            school_row("102410"),  # line 10
        ]
    )
    parsed = parse(data)
    assert [row.urn for row in parsed.rows] == ["102401", "102410"]
    assert [row.line for row in parsed.rows] == [2, 10]
    assert parsed.rejections == [
        Rejection(3, "URN is missing"),
        Rejection(4, "URN “12345” is not 6 digits"),
        Rejection(5, "EstablishmentName is missing"),
        Rejection(6, "NumberOfPupils “12.5” is not a whole number"),
        Rejection(7, "NumberOfPupils “about 300” is not a whole number"),
        Rejection(8, "URN 102401 appears more than once in the file (first on line 2)"),
        Rejection(9, "Postcode is longer than 10 characters"),
    ]
    assert str(parsed.rejections[0]) == "line 3: URN is missing"


def test_line_numbers_count_lines_inside_quoted_cells_and_blank_lines():
    data = gias_csv(
        [
            school_row("102401", Street="1 Park Road\nSecond line"),  # lines 2-3
            school_row("", "No URN"),  # line 4
        ]
    )
    data += b"\r\n"  # a blank line 5
    data += gias_csv([school_row("1", "Tiny URN")]).split(b"\r\n", 1)[1]  # line 6
    parsed = parse(data)
    assert [row.line for row in parsed.rows] == [2]
    assert parsed.rejections == [
        Rejection(4, "URN is missing"),
        Rejection(6, "URN “1” is not 6 digits"),
    ]


def test_la_filter_skips_other_local_authorities_without_rejecting_them():
    data = gias_csv(
        [
            school_row("102401"),
            school_row("100001", **{"LA (code)": "202", "LA (name)": "Camden"}),
            school_row("", **{"LA (code)": "202"}),
            school_row("100003", **{"LA (code)": "309", "LA (name)": "Haringey"}),
        ]
    )
    parsed = parse(data, la_codes=["312", "309"])
    assert [row.urn for row in parsed.rows] == ["102401", "100003"]
    assert parsed.rejections == []
    assert parsed.skipped == 2


def test_missing_required_columns_makes_the_file_unreadable():
    columns = [c for c in COLUMNS if c not in ("URN", "NumberOfPupils")]
    with pytest.raises(GiasFileError) as error:
        parse(gias_csv([school_row("102401")], columns=columns))
    assert str(error.value) == (
        "The file is not a GIAS establishment CSV: it has no “URN”, “NumberOfPupils” columns"
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty"),
        (b"  \r\n\r\n", "The file is empty"),
        (b"%PDF-1.7\x00\x01\x02binary", "The file is not a CSV file (it contains binary data)"),
        (b"\x81\x8d\x8f\x90\x9d", "The file is not text in UTF-8 or windows-1252"),
        (b"hello, world\nthis is, not gias\n", "The file is not a GIAS establishment CSV"),
        (gias_csv([]), "The file has a header row but no schools"),
    ],
    ids=["empty", "blank-lines", "binary", "undecodable", "other-csv", "header-only"],
)
def test_unreadable_files_raise(data, message):
    with pytest.raises(GiasFileError) as error:
        parse(data)
    assert str(error.value).startswith(message)


def test_extra_whitespace_around_cells_and_headers_is_ignored():
    data = gias_csv([school_row(" 102401 ", "  Alder Primary School ", NumberOfPupils=" 281 ")])
    data = data.replace(b"URN,", b" URN ,", 1)
    (row,) = parse(data).rows
    assert (row.urn, row.name, row.pupils) == ("102401", "Alder Primary School", 281)
