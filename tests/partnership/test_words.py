from partnership.words import count_of


def test_counts_are_written_as_a_person_would():
    assert count_of(1, "invoice") == "1 invoice"
    assert count_of(0, "invoice") == "0 invoices"
    assert count_of(2, "membership invoice") == "2 membership invoices"
    assert count_of(3, "day", "days") == "3 days"
    assert count_of(1, "PDF") == "1 PDF"
