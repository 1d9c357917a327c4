"""The apremilast argument as statistics: class and background comparisons, neighbours."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import THALIDOMIDE
from rdkit import Chem, DataStructs

from imidchem.analysis.similarity import similarity
from imidchem.analysis.stats import (
    IMID_CLASSES,
    STATISTICS_COLUMNS,
    background_similarities,
    class_members,
    nearest_neighbours,
    phthalimide_background,
    reference_statistics,
    similarity_statistics,
)
from imidchem.chem.fingerprints import FINGERPRINTS, fingerprint
from imidchem.cli import main
from imidchem.data.background import background_fingerprints, background_mols
from imidchem.data.reference import load_reference, resolve
from imidchem.errors import InvalidArgumentError, InvalidMoleculeError
from imidchem.view.statistics import conclusions, statistics_block


@pytest.fixture(scope="module")
def apremilast_stats():
    return similarity_statistics("apremilast").set_index("fingerprint")


def _sims(query: str, kind: str) -> np.ndarray:
    fp = fingerprint(resolve(query)[1], kind)
    return np.asarray(DataStructs.BulkTanimotoSimilarity(fp, background_fingerprints(kind)))


def test_one_row_per_fingerprint(apremilast_stats):
    assert tuple(apremilast_stats.index) == (*FINGERPRINTS, "morgan_count")
    assert list(apremilast_stats.reset_index().columns) == list(STATISTICS_COLUMNS)
    for kind in (*FINGERPRINTS, "morgan_count"):
        assert apremilast_stats.loc[kind, "similarity"] == pytest.approx(
            similarity("apremilast", "thalidomide", fingerprint=kind)
        )


def test_background_percentile_and_pvalue_recomputed_independently(apremilast_stats):
    for kind in FINGERPRINTS:
        row = apremilast_stats.loc[kind]
        value = row["similarity"]
        query_centred = _sims("apremilast", kind)
        reference_centred = _sims("thalidomide", kind)
        n = len(query_centred)
        assert row["background_n"] == n == len(background_mols())
        expected = 100 * ((query_centred < value).sum() + 0.5 * (query_centred == value).sum()) / n
        assert row["background_percentile"] == pytest.approx(expected)
        assert row["background_pvalue"] == pytest.approx(
            ((query_centred >= value).sum() + 1) / (n + 1)
        )
        assert row["reference_pvalue"] == pytest.approx(
            ((reference_centred >= value).sum() + 1) / (n + 1)
        )
        assert row["background_median"] == pytest.approx(np.median(query_centred))


def test_apremilast_morgan_is_unremarkable_against_the_background(apremilast_stats):
    morgan = apremilast_stats.loc["morgan"]
    assert morgan["similarity"] == pytest.approx(0.128, abs=0.001)
    assert morgan["background_percentile"] == pytest.approx(78.0, abs=1.0)
    assert morgan["background_pvalue"] > 0.05
    assert morgan["reference_pvalue"] > 0.05
    # under the path and torsion fingerprints the shared phthalimide makes it unusual
    for kind in ("torsion", "rdkit"):
        assert apremilast_stats.loc[kind, "background_pvalue"] < 0.01


def test_apremilast_against_the_class(apremilast_stats):
    assert set(apremilast_stats["class_n"]) == {6}
    morgan = apremilast_stats.loc["morgan"]
    assert morgan["below_class"] and morgan["class_below"] == 0
    assert morgan["class_pvalue"] == pytest.approx(1 / 7)
    assert morgan["class_min"] == pytest.approx(similarity("mezigdomide"))
    # not every fingerprint puts it below the whole class: avadomide is further under fcfp4
    assert not apremilast_stats.loc["fcfp4", "below_class"]
    assert apremilast_stats.loc["fcfp4", "class_below_names"] == "avadomide"
    assert (apremilast_stats["class_pvalue"] == (apremilast_stats["class_below"] + 1) / 7).all()


def test_class_members_leave_out_the_reference_and_the_query():
    assert class_members() == (
        "lenalidomide",
        "pomalidomide",
        "iberdomide",
        "mezigdomide",
        "golcadomide",
        "avadomide",
    )
    ref = load_reference()
    assert set(class_members()) <= set(ref.loc[ref["class"].isin(IMID_CLASSES), "name"])
    lenalidomide = similarity_statistics("lenalidomide", fingerprints="morgan").iloc[0]
    assert lenalidomide["class_n"] == 5
    assert lenalidomide["background_pvalue"] == pytest.approx(1 / (len(background_mols()) + 1))
    with pytest.raises(InvalidArgumentError, match="unknown class 'IMiD'.*CELMoD"):
        class_members(["IMiD"])


def test_nearest_neighbours():
    table = nearest_neighbours("apremilast", k=5)
    assert list(table.columns) == [
        "rank",
        "name",
        "class",
        "crbn_binder",
        "similarity",
        "fingerprint",
    ]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table["similarity"].is_monotonic_decreasing
    assert table.loc[0, "name"] == "N-phthaloylglutamine"
    assert table.loc[0, "similarity"] == pytest.approx(
        similarity("apremilast", "N-phthaloylglutamine")
    )
    assert (table["crbn_binder"] == "yes").sum() == 4
    own = nearest_neighbours("thalidomide", k=3)
    assert not own["name"].isin(["thalidomide", "(S)-thalidomide", "(R)-thalidomide"]).any()
    assert own["name"].tolist() == ["pomalidomide", "4-hydroxythalidomide", "5-hydroxythalidomide"]
    assert nearest_neighbours("thalidomide", k=1, exclude_self=False).loc[0, "similarity"] == 1.0
    with pytest.raises(InvalidArgumentError, match="k must be"):
        nearest_neighbours("apremilast", k=0)
    with pytest.raises(InvalidArgumentError, match="allowed: morgan"):
        nearest_neighbours("apremilast", fingerprint="ecfp6")


def test_reference_statistics_long_format():
    table = reference_statistics(fingerprints=("morgan", "maccs"))
    n = len(load_reference())
    assert len(table) == 2 * n
    morgan = table[table.fingerprint == "morgan"].set_index("name")
    assert morgan.loc["thalidomide", "similarity"] == pytest.approx(1.0)
    # apremilast and the nucleoside control are the only reference compounds whose
    # similarity is ordinary under ECFP4
    ordinary = morgan.index[morgan["background_pvalue"] > 0.05].tolist()
    assert ordinary == ["apremilast", "5-bromo-6-methoxy-5,6-dihydro-AZT"]


def test_background_similarities_is_thalidomide_vs_nci():
    sims = background_similarities(fingerprint="morgan")
    assert sims.shape == (len(background_mols()),)
    assert np.sort(sims) == pytest.approx(np.sort(_sims("thalidomide", "morgan")))


def test_conclusions_say_what_the_numbers_support(apremilast_stats):
    stats = apremilast_stats.reset_index()
    lines = conclusions(stats, "apremilast", neighbours=nearest_neighbours("apremilast"))
    assert len(lines) == 8
    assert "not under morgan, morgan_count" in lines[0] and "unremarkable" in lines[0]
    assert "under fcfp4, atompair, torsion, maccs, rdkit" in lines[0]
    assert "less similar to thalidomide than every member under morgan, maccs" in lines[1]
    assert lines[2].startswith(
        "Counting environments instead of setting bits (morgan_count) moves apremilast's "
        "Tanimoto to thalidomide from 0.128 to 0.207 and its NCI percentile from 78.0 to 94.1"
    )
    assert "no longer unremarkable" in lines[2]
    assert "Against the 23 NCI phthalimides without a glutarimide" in lines[3]
    assert "than every one under morgan, maccs, morgan_count" in lines[3]
    assert "Aspirin" in lines[4] and "0.128, the same as apremilast's 0.128" in lines[4]
    assert "a nearest-neighbour vote would call it a binder" in lines[5]
    assert "isoindoline core but has no glutarimide" in lines[6]
    assert lines[7].startswith(
        "2-D similarity neither proves nor refutes that apremilast binds cereblon: the missing "
        "cyclic imide does (graded call: level 4, isoindoline only)"
    )
    lenalidomide = conclusions(
        similarity_statistics("lenalidomide", fingerprints="morgan"), "lenalidomide"
    )
    assert lenalidomide[-2] == "lenalidomide carries the cereblon-binding cyclic imide."
    assert "the cyclic imide decides (graded call: level 1" in lenalidomide[-1]
    assert "under every fingerprint tested (morgan)" in lenalidomide[0]


def test_counted_morgan_phthalimide_background_and_aspirin(apremilast_stats):
    # recomputed here with RDKit directly: counted Morgan (r2, 2048) of apremilast and aspirin
    from rdkit.Chem import rdFingerprintGenerator

    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    thalidomide = Chem.MolFromSmiles(THALIDOMIDE)
    apremilast = Chem.MolFromSmiles(
        "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC"
    )
    aspirin = Chem.MolFromSmiles("CC(=O)Oc1ccccc1C(=O)O")
    count = DataStructs.TanimotoSimilarity(
        generator.GetCountFingerprint(apremilast), generator.GetCountFingerprint(thalidomide)
    )
    row = apremilast_stats.loc["morgan_count"]
    assert row["similarity"] == pytest.approx(count) == pytest.approx(0.2069, abs=1e-4)
    # the "about the 95th NCI percentile": 94.1 query-centred, 95.0 reference-centred
    assert row["background_percentile"] == pytest.approx(94.10, abs=0.01)
    assert row["reference_percentile"] == pytest.approx(95.00, abs=0.01)
    bits = DataStructs.TanimotoSimilarity(
        generator.GetFingerprint(aspirin), generator.GetFingerprint(thalidomide)
    )
    assert apremilast_stats.loc["morgan", "comparator_similarity"] == pytest.approx(bits)
    assert round(bits, 3) == round(apremilast_stats.loc["morgan", "similarity"], 3) == 0.128
    # the phthalimide background: NCI phthalimides without a glutarimide, found independently
    phthalimide = Chem.MolFromSmarts("O=C1NC(=O)c2ccccc12")
    glutarimide = Chem.MolFromSmarts("O=C1CCCC(=O)N1")
    mols = background_mols()
    found = [
        i for i, mol in enumerate(mols)
        if mol.HasSubstructMatch(phthalimide) and not mol.HasSubstructMatch(glutarimide)
    ]  # fmt: skip
    assert tuple(found) == phthalimide_background() and len(found) == 23
    sims = DataStructs.BulkTanimotoSimilarity(
        generator.GetFingerprint(thalidomide), [generator.GetFingerprint(mols[i]) for i in found]
    )
    assert min(sims) > apremilast_stats.loc["morgan", "similarity"]  # below all 23
    assert apremilast_stats.loc["morgan", "phthalimide_below"] == 0
    assert apremilast_stats.loc["morgan", "phthalimide_median"] == pytest.approx(np.median(sims))
    assert apremilast_stats.loc["torsion", "phthalimide_below"] == 10


def test_bad_fingerprint_and_bad_query():
    with pytest.raises(InvalidArgumentError, match="unknown fingerprint 'ecfp6'"):
        similarity_statistics("apremilast", fingerprints=["morgan", "ecfp6"])
    with pytest.raises(InvalidArgumentError, match="no fingerprint"):
        similarity_statistics("apremilast", fingerprints=[])
    with pytest.raises(
        InvalidMoleculeError, match="neither a reference compound name nor a valid SMILES"
    ):
        similarity_statistics("not-a-drug", fingerprints="morgan")


def test_statistics_block_and_cli(capsys):
    block = statistics_block("apremilast", fingerprints=("morgan",))
    assert "NCI background n = " in block and "IMiD/CELMoD class n = 6" in block
    assert "N-phthaloylglutamine" in block
    assert main(["explain", "apremilast", "--fingerprints", "morgan,maccs"]) == 0
    out = capsys.readouterr().out
    assert "verdict" in out and "what the numbers say" in out
    assert re.search(r"\n\s+maccs\s+0\.462\s+97\.2\s", out)
    assert main(["explain", "apremilast", "--no-stats"]) == 0
    assert "what the numbers say" not in capsys.readouterr().out
    assert main(["explain", "apremilast", "--fingerprints", "morgan,ecfp6"]) == 2
    assert capsys.readouterr().err.startswith("imidchem: error: unknown fingerprint 'ecfp6'")


def test_report_has_the_statistics_section(report_files):
    text = report_files["md"].read_text(encoding="utf-8")
    section = text.split("## Similarity statistics for apremilast", 1)[1].split("## ", 1)[0]
    assert re.search(r"\| morgan \| 0\.128 \| 78\.0 \| 0\.2216 \|", section)
    assert "| 1 | N-phthaloylglutamine | hydrolysis product | unknown | 0.247 |" in section
    assert "where its similarity is unremarkable" in section
    html = report_files["html"].read_text(encoding="utf-8")
    assert "<h2>Similarity statistics for apremilast</h2>" in html
    assert "a ranking, not a significance test" in html
