from partnership.words import count_of


def test_counts_are_written_as_a_person_would():
    assert count_of(1, "invoice") == "1 invoice"
    assert count_of(0, "invoice") == "0 invoices"
    assert count_of(2, "membership invoice") == "2 membership invoices"
    assert count_of(3, "day", "days") == "3 days"
    assert count_of(1, "PDF") == "1 PDF"


def test_financial_years_are_written_on_pages_as_academic_years_are():
    from partnership.calendars import FinancialYear
    from partnership.words import financial_year

    assert financial_year("2026-27") == "2026/27"
    assert financial_year(FinancialYear(2027)) == "2027/28"
    # Not a financial year: written as it is.
    assert financial_year("all") == "all"
    assert financial_year("2026/27") == "2026/27"
    assert financial_year(None) == ""
