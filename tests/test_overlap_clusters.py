from datetime import datetime

from dedup.clusters import Member, build_clusters
from dedup.config import DedupConfig
from dedup.overlap import long_paragraphs, paragraph_overlap

CFG = DedupConfig()
SHARED = [
    "Banjir merendam ratusan rumah di kawasan Kampung Melayu sejak Senin pagi setelah hujan deras",
    "Petugas pemadam kebakaran mengevakuasi warga lanjut usia menggunakan perahu karet ke posko",
    "Ketinggian air di pintu air Manggarai sempat mencapai status siaga satu pada malam hari",
]


def _doc(shared, own):
    return "\n".join(["Banjir Jakarta", *shared, *own])


def test_paragraph_map_finds_shared_paragraphs_despite_small_edits():
    a = _doc(SHARED, ["Gubernur meninjau lokasi dan menjanjikan bantuan logistik bagi seluruh warga terdampak"])
    edited = [SHARED[0].replace("Kampung", "kampung"), SHARED[1].replace(" karet", ""), SHARED[2]]
    b = _doc(edited, [f"Paragraf milik sendiri nomor {i} yang membahas hal lain sama sekali berbeda" for i in range(5)])
    result = paragraph_overlap(a, b, CFG)
    assert [(m.para_a, m.para_b) for m in result.matches] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert result.matches[2].jaccard < 1.0  # the edited paragraph is a near match
    assert result.containment_a > result.containment_b > 0.2
    assert result.is_overlap(CFG, long_paragraphs(a, CFG))


def test_shared_subheadings_alone_are_not_an_overlap():
    a = "Latar belakang\nBaca selengkapnya\nSatu paragraf panjang tentang topik pertama yang cukup panjang sekali"
    b = "Latar belakang\nBaca selengkapnya\nParagraf lain yang sama sekali berbeda isinya dengan yang pertama tadi"
    result = paragraph_overlap(a, b, CFG)
    assert len(result.matches) == 2
    assert not result.is_overlap(CFG, long_paragraphs(a, CFG))


T0 = datetime(2024, 1, 1)
T1 = datetime(2024, 2, 1)


def test_survivor_is_earliest_published_then_ingested_then_longest():
    members = [
        Member("b", "2024-01-05T00:00:00", T1, 100),
        Member("a", None, T0, 500),
        Member("c", "2024-01-03T00:00:00", T1, 50),
        Member("d", "2024-01-03T00:00:00", T1, 80),
    ]
    [cluster] = build_clusters(members, [("a", "b"), ("b", "c"), ("c", "d")])
    assert cluster.canonical_doc_id == "d"  # ties on date: longer text wins
    assert cluster.members == ("a", "b", "c", "d")
    assert cluster.cluster_id == "d"


def test_new_document_joins_existing_cluster_and_keeps_its_id():
    members = [
        Member("x1", None, T0, 100, cluster_id="x1", cluster_first_seen=T0),
        Member("x2", None, T0, 90, cluster_id="x1", cluster_first_seen=T0),
        Member("new", "2023-12-01T00:00:00", T1, 100),
    ]
    [cluster] = build_clusters(members, [("new", "x2")])
    assert cluster.cluster_id == "x1"
    assert cluster.canonical_doc_id == "new"  # published earlier: it survives
    assert set(cluster.members) == {"x1", "x2", "new"}
    assert cluster.first_seen_at == T0


def test_merging_two_existing_clusters_keeps_the_older_id():
    members = [
        Member("p", None, T1, 10, cluster_id="p", cluster_first_seen=T1),
        Member("q", None, T0, 10, cluster_id="q", cluster_first_seen=T0),
        Member("n", None, T1, 10),
    ]
    clusters = build_clusters(members, [("n", "p"), ("n", "q")])
    assert [c.cluster_id for c in clusters] == ["q"]


def test_unlinked_documents_are_singletons():
    clusters = build_clusters([Member("a", None, T0, 1), Member("b", None, T0, 1)], [])
    assert [(c.cluster_id, c.members) for c in clusters] == [("a", ("a",)), ("b", ("b",))]
