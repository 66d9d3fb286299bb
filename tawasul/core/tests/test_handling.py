from tawasul.core.handling import HandlingCode, most_restrictive


def test_most_restrictive_code_governs_the_whole():
    assert most_restrictive(["H0", "H2", "H1"]) == HandlingCode.H2
    assert most_restrictive(["H3", "H2"]) == HandlingCode.H3
    assert most_restrictive([]) == HandlingCode.H0
