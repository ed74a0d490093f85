"""guess_my_city: the city pool chosen from GeoNames, and the facts of one city."""

from collections import Counter

from curiosa.envs import guess_my_city as gmc


def test_pool_is_diverse_and_well_known(facts_of):
    pool = gmc.city_pool()
    per_country = Counter(f["country_code"] for f in pool)
    assert len(per_country) >= 150 and max(per_country.values()) <= 15
    assert set(Counter(f["continent"] for f in pool)) == set(gmc.CONTINENTS)
    names = {(f["city"], f["country"]) for f in pool}
    for famous in [("Paris", "France"), ("Tokyo", "Japan"), ("New York City", "United States"),
                   ("Cairo", "Egypt"), ("Sao Paulo", "Brazil"), ("Sydney", "Australia"), ("Munich", "Germany"),
                   ("Washington", "United States")]:
        assert famous in names
    assert all(f["population"] >= 100_000 or f["is_capital"] for f in pool)
    assert sum(f["is_capital"] for f in pool) >= 150
    capitals = {f["country_code"]: f["city"] for f in pool if f["is_capital"]}
    assert capitals["DE"] == "Berlin" and capitals["US"] == "Washington" and capitals["NG"] == "Abuja"
    f = facts_of("Novosibirsk")
    assert f["continent"] == "AS" and f["country_code"] == "RU"  # Siberia is in Asia
    assert facts_of("Moscow")["continent"] == "EU"


def test_facts_of_one_city(facts_of):
    f = facts_of("Munich")
    assert f["country"] == "Germany" and f["continent"] == "EU" and not f["is_capital"]
    assert f["languages"][0] == "German" and f["currency_code"] == "EUR" and f["currency_name"] == "euro"
    assert "FR" in f["neighbours"] and "France" in f["neighbour_names"]
    assert f["tz_std"] == 1.0 and f["tz_dst"] == 2.0
    assert facts_of("Mumbai")["tz_std"] == 5.5 and facts_of("Mumbai")["tz_dst"] is None
    assert all(isinstance(v, (int, float, str, bool, list, type(None))) for v in f.values())
