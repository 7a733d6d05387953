"""Network: degrees, partners of partners and shared partners on the shipped data and a crafted one."""

from twinmap.ingest import batches, importer
from twinmap.reads import network


def _homes(con):
    return {r[0] for r in con.execute("SELECT DISTINCT home_city_id FROM partnerships").fetchall()}


def test_partners_of_partners_leave_out_our_own_partners(con):
    links = network.edges(con)
    second = network.partners_of_partners(links, _homes(con))
    pairs = set(zip(second["partner"], second["second"], strict=True))
    assert ("Weimar", "Blois") in pairs and ("Astrakhan", "Atyrau") in pairs
    assert ("Astrakhan", "Aktau") not in pairs  # Aktau is already Sari's own partner
    degree = network.degrees(links, _homes(con)).set_index("name")
    assert degree.loc["Weimar", "degree"] == 6  # Shiraz and five ties


def test_a_partner_shared_by_two_home_cities_is_found(con):
    text = "home_city,home_country,partner_city,partner_country,kind,status\nShiraz,IR,Astrakhan,RU,friendship,active\n"
    batches.commit(con, importer.plan_import(con, text.encode(), "f.csv", "partnerships"), "tester")
    shared = network.shared_partners(network.edges(con), _homes(con))
    assert shared[["b_name", "homes"]].to_numpy().tolist() == [["Astrakhan", ["Sari", "Shiraz"]]]


def test_private_stages_stay_out_of_the_public_network(con):
    public = network.edges(con)
    staff = network.edges(con, include_private=True)
    assert "Lankaran" not in set(public["b_name"]) and "Lankaran" in set(staff["b_name"])
