"""Members are added, removed, replaced and paged through the API."""

import pytest

from segments.models import Member
from tests.factories import make_segment, random_ids

SEGMENTS = "/api/v1/segments"


@pytest.fixture
def segment(company):
    return make_segment(company, "Audience")


def items(ids, id_type="advertising_id") -> list[dict]:
    return [{"type": id_type, "id": value} for value in ids]


def send(client, segment, method, members):
    return getattr(client, method)(
        f"{SEGMENTS}/{segment.pk}/members",
        {"members": members},
        content_type="application/json",
    )


def all_members(client, segment, limit=1000) -> list[tuple[str, str]]:
    seen, cursor = [], ""
    while cursor is not None:
        page = client.get(
            f"{SEGMENTS}/{segment.pk}/members?limit={limit}&cursor={cursor}"
        ).json()
        seen += [(item["type"], item["id"]) for item in page["results"]]
        cursor = page["next_cursor"]
    return seen


def test_add_reports_every_outcome(api_client, segment):
    known, new = random_ids(2)
    send(api_client, segment, "post", items([known]))
    members = [
        *items([known, new, new.upper()]),
        {"type": "advertising_id", "id": "00000000-0000-0000-0000-000000000000"},
        {"type": "advertising_id", "id": 12345},
        {"type": "phone", "id": "x"},
        {"type": "custom_id"},
    ]

    response = send(api_client, segment, "post", members)

    body = response.json()
    assert response.status_code == 200
    assert (body["added"], body["already_members"], body["duplicates"]) == (1, 1, 1)
    assert body["member_count"] == 2
    assert [item["index"] for item in body["invalid"]] == [3, 4, 5, 6]
    assert "all-zero UUID" in body["invalid"][0]["reason"]
    assert body["invalid"][1]["reason"] == "the ID must be given as text"
    assert body["invalid"][2]["reason"].startswith("unknown ID type 'phone'")
    assert body["invalid"][3]["reason"] == (
        'each member needs exactly the keys "type" and "id"'
    )


def test_remove_reports_not_members(api_client, segment):
    kept, removed, stranger = random_ids(3)
    send(api_client, segment, "post", items([kept, removed]))

    response = send(api_client, segment, "delete", items([removed, stranger]))

    assert response.json() | {"invalid": []} == {
        "added": 0,
        "removed": 1,
        "already_members": 0,
        "not_members": 1,
        "duplicates": 0,
        "invalid": [],
        "member_count": 1,
    }
    assert all_members(api_client, segment) == [("advertising_id", kept)]


def test_replace_swaps_members(api_client, segment):
    old, both, new = random_ids(3)
    send(api_client, segment, "post", items([old, both]))

    response = send(api_client, segment, "put", items([both, new]))

    assert (response.json()["added"], response.json()["removed"]) == (1, 1)
    assert sorted(all_members(api_client, segment)) == sorted(
        [("advertising_id", both), ("advertising_id", new)]
    )


def test_replace_with_empty_list_empties_segment(api_client, segment):
    send(api_client, segment, "post", items(random_ids(3)))

    response = send(api_client, segment, "put", [])

    assert response.json()["removed"] == 3
    assert response.json()["member_count"] == 0


def test_retried_add_is_harmless(api_client, segment):
    members = items(random_ids(5))
    send(api_client, segment, "post", members)

    again = send(api_client, segment, "post", members)

    assert (again.json()["added"], again.json()["already_members"]) == (0, 5)
    assert again.json()["member_count"] == 5


def test_only_invalid_members_change_nothing(api_client, segment):
    send(api_client, segment, "post", items(random_ids(2)))

    response = send(api_client, segment, "put", items(["bad", "worse"]))

    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "None of the members is valid; nothing was changed."
    )
    assert len(response.json()["error"]["details"]["invalid"]) == 2
    assert len(all_members(api_client, segment)) == 2


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ("a,b,c", "members: must be a JSON list of objects such as"),
        ({"type": "custom_id", "id": "a"}, "not a object"),
        (["a", "b"], "members: item 0 is a string; each member must be an object"),
        ([{"type": "custom_id", "id": "a"}, None], "item 1 is a null"),
    ],
)
def test_members_not_a_list_of_objects_is_refused(
    api_client, segment, members, message
):
    response = send(api_client, segment, "post", members)

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_more_than_ten_thousand_members_is_refused(api_client, segment):
    members = items([f"id-{number}" for number in range(10_001)], "custom_id")

    response = send(api_client, segment, "post", members)

    assert response.status_code == 400
    assert (
        "at most 10,000 members per request, not 10,001"
        in (response.json()["error"]["message"])
    )


def test_ten_thousand_members_are_added(api_client, segment):
    members = items(random_ids(10_000))

    response = send(api_client, segment, "post", members)

    assert response.json()["added"] == 10_000
    assert len(all_members(api_client, segment, limit=10_000)) == 10_000


def test_computed_segment_members_are_not_editable(api_client, company):
    native = make_segment(company, "Computed", kind="native")

    response = send(api_client, native, "post", items(random_ids(1)))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_editable"


def test_member_page_runs_a_fixed_number_of_queries(
    api_client, segment, django_assert_num_queries
):
    send(api_client, segment, "post", items(random_ids(50)))

    with django_assert_num_queries(3):
        response = api_client.get(f"{SEGMENTS}/{segment.pk}/members?limit=20")

    assert len(response.json()["results"]) == 20


def test_pages_stay_stable_while_members_change(api_client, segment):
    ids = sorted(random_ids(30))
    send(api_client, segment, "post", items(ids))
    url = f"{SEGMENTS}/{segment.pk}/members?limit=10"
    first = api_client.get(url).json()
    last_seen = first["results"][-1]["id"]
    before = [value for value in ids if value <= last_seen]
    after = [value for value in ids if value > last_seen]
    send(api_client, segment, "delete", items([before[0], after[0]]))
    send(api_client, segment, "post", items(["00000001-0000-4000-8000-000000000000"]))

    rest = []
    cursor = first["next_cursor"]
    while cursor:
        page = api_client.get(f"{url}&cursor={cursor}").json()
        rest += [item["id"] for item in page["results"]]
        cursor = page["next_cursor"]

    seen = [item["id"] for item in first["results"]] + rest
    assert len(seen) == len(set(seen))
    assert rest == after[1:]


def test_member_segments_lists_segments_of_an_id(api_client, company, other_company):
    value = random_ids(1)[0]
    first, second, without = (make_segment(company, name) for name in "ABC")
    theirs = make_segment(other_company, "Theirs")
    for target in (first, second, theirs):
        send(api_client, target, "post", items([value]))
    send(api_client, second, "delete", items([value]))

    response = api_client.get(
        f"/api/v1/members/advertising_id/{value.upper()}/segments"
    )

    assert [row["name"] for row in response.json()["results"]] == ["A"]
    assert without.member_count == 0


def test_member_segments_accepts_ids_with_slashes(api_client, segment):
    send(api_client, segment, "post", items(["crm/eu/42"], "custom_id"))

    response = api_client.get("/api/v1/members/custom_id/crm%2Feu%2F42/segments")

    assert [row["id"] for row in response.json()["results"]] == [segment.pk]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("advertising_id/not-a-uuid", "Invalid ID: not a valid UUID"),
        ("phone/123", "Invalid ID: unknown ID type 'phone'"),
        ("custom_id/a%00b", "Invalid ID: contains a control character"),
    ],
)
def test_member_segments_with_invalid_id_is_refused(api_client, path, reason):
    response = api_client.get(f"/api/v1/members/{path}/segments")

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith(reason)


def test_surrogate_in_custom_id_is_invalid(api_client, segment):
    body = '{"members": [{"type": "custom_id", "id": "a\\ud800"}]}'

    response = api_client.post(
        f"{SEGMENTS}/{segment.pk}/members", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert not Member.objects.exists()


def test_cursor_of_another_segment_is_refused(api_client, segment, company):
    other = make_segment(company, "Other")
    send(api_client, segment, "post", items(random_ids(3)))
    send(api_client, other, "post", items(random_ids(3)))
    cursor = api_client.get(f"{SEGMENTS}/{segment.pk}/members?limit=1").json()[
        "next_cursor"
    ]

    response = api_client.get(f"{SEGMENTS}/{other.pk}/members?cursor={cursor}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_cursor"
