from workers.latest import Latest


def test_each_id_version_once_and_never_older() -> None:
    latest = Latest()
    seen = [
        latest.admit(i, v)
        for i, v in [("a", 1), ("b", 1), ("a", 1), ("a", 2), ("a", 1), ("b", 1), ("a", 2)]
    ]
    assert seen == [True, True, False, True, False, False, False]
