"""The verdict: is a compound a cereblon-binding IMiD-like molecule, and why (or why not)?

Every call comes with its evidence: similarity to thalidomide and its percentile against
the NCI background, which halves of thalidomide the compound shares, the MCS with
thalidomide, whether it carries the cereblon-binding motif, and a one-line reason.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import asdict, dataclass
from functools import lru_cache

import pandas as pd
from rdkit import Chem, DataStructs, rdBase

from ..chem.fingerprints import DEFAULT_FINGERPRINT, fingerprint
from ..chem.mol import MolInput, to_mol
from ..chem.patterns import pattern_flags
from ..chem.similarity import mcs, reference_fingerprints
from ..data.background import background_fingerprints, percentile
from ..data.reference import get_reference, load_reference, resolve
from ..errors import ImidchemError, InvalidArgumentError

VERDICT_CRBN = "cereblon-binding IMiD-like"
VERDICT_DISTANT = "distant, non-cereblon"
VERDICTS = (VERDICT_CRBN, VERDICT_DISTANT)


def classify(flags: dict[str, bool]) -> tuple[str, str]:
    """The class call and its one-line reason, from the pattern flags.

    >>> classify({"has_isoindoline": True, "has_glutarimide": False,
    ...           "glutarimide_nh": False, "crbn_pharmacophore": False})[1]
    'shares only the isoindoline half of thalidomide; no glutarimide, so no cereblon-binding imide'
    """
    if flags["crbn_pharmacophore"]:
        if flags["has_isoindoline"]:
            return VERDICT_CRBN, (
                "carries the cereblon-binding N-H glutarimide on an isoindoline, like thalidomide"
            )
        return VERDICT_CRBN, (
            "carries the cereblon-binding cyclic imide without the isoindoline "
            "(like avadomide or phenyl-glutarimide)"
        )
    if flags["has_glutarimide"] and not flags["glutarimide_nh"]:
        return VERDICT_DISTANT, (
            "glutarimide nitrogen is substituted: the imide N-H that cereblon needs is missing"
        )
    if flags["glutarimide_nh"]:
        return VERDICT_DISTANT, (
            "free N-H glutarimide, but not singly substituted at C3 "
            "(like glutethimide or cycloheximide): not a cereblon ligand"
        )
    if flags["has_isoindoline"]:
        return VERDICT_DISTANT, (
            "shares only the isoindoline half of thalidomide; no glutarimide, "
            "so no cereblon-binding imide"
        )
    return VERDICT_DISTANT, "shares neither half of thalidomide"


@lru_cache(maxsize=1)
def _thalidomide_fp():
    names, fps = reference_fingerprints(DEFAULT_FINGERPRINT)
    return fps[names.index("thalidomide")]


@lru_cache(maxsize=64)
def reference_panel(names: tuple[str, ...] | None = None) -> tuple[tuple[str, ...], tuple, tuple]:
    """Names, Morgan fingerprints and InChIKey skeletons of the reference compounds to
    compare with: all of them, or the named subset (names or synonyms, validated).

    >>> reference_panel(("Revlimid", "apremilast"))[0]
    ('lenalidomide', 'apremilast')
    """
    all_names, all_fps = reference_fingerprints(DEFAULT_FINGERPRINT)
    skeletons = [key[:14] for key in load_reference()["inchikey"]]
    if names is None:
        positions = range(len(all_names))
    else:
        if not names:
            raise InvalidArgumentError("the list of reference names is empty")
        positions = [all_names.index(get_reference(name)["name"]) for name in names]
    return (
        tuple(all_names[i] for i in positions),
        tuple(all_fps[i] for i in positions),
        tuple(skeletons[i] for i in positions),
    )


@lru_cache(maxsize=64)
def _thalidomide_position(references: tuple[str, ...] | None) -> int | None:
    """Where thalidomide's fingerprint sits in the panel (None: not in it)."""
    fps = reference_panel(references)[1]
    thalidomide = _thalidomide_fp()
    return next((i for i, fp in enumerate(fps) if fp is thalidomide), None)


def quick_evidence(
    mol: Chem.Mol,
    references: tuple[str, ...] | None = None,
    exclude_self: bool = False,
    *,
    fp=None,
    absent: Container[str] = (),
) -> dict:
    """The fast part of the evidence for a standardised Mol (no MCS, no percentile).

    This is what the library screen computes for every molecule. ``references`` limits
    the nearest-reference search to those names. With ``exclude_self`` the nearest
    reference skips compounds with the same InChIKey skeleton (the molecule itself and
    its stereoisomers), so a drug is not its own nearest neighbour. ``fp`` is the
    molecule's Morgan fingerprint if already computed, ``absent`` the patterns known not
    to match (see :func:`imidchem.chem.patterns.pattern_flags`).

    >>> from imidchem.chem.mol import to_mol
    >>> e = quick_evidence(to_mol("Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O"), exclude_self=True)
    >>> e["nearest_reference"], round(e["nearest_similarity"], 3), e["verdict"]
    ('thalidomide', 0.737, 'cereblon-binding IMiD-like')
    >>> tuple(e) == EVIDENCE_COLUMNS
    True
    """
    if fp is None:
        fp = fingerprint(mol, DEFAULT_FINGERPRINT)
    names, fps, skeletons = reference_panel(references)
    sims = DataStructs.BulkTanimotoSimilarity(fp, fps)
    candidates = range(len(sims))
    if exclude_self:
        with rdBase.BlockLogs():
            skeleton = Chem.MolToInchiKey(mol)[:14]
        candidates = [i for i in candidates if skeletons[i] != skeleton] or candidates
    best = max(candidates, key=sims.__getitem__)
    thalidomide = _thalidomide_position(references)
    flags = pattern_flags(mol, absent)
    verdict, reason = classify(flags)
    return {
        "sim_thalidomide": sims[thalidomide]  # the same number as a separate Tanimoto call
        if thalidomide is not None
        else DataStructs.TanimotoSimilarity(fp, _thalidomide_fp()),
        "nearest_reference": names[best],
        "nearest_similarity": sims[best],
        **flags,
        "verdict": verdict,
        "reason": reason,
    }


@dataclass(frozen=True)
class Evidence:
    """The evidence record behind one compound's verdict."""

    query: str
    name: str | None
    smiles: str
    inchikey: str
    sim_thalidomide: float
    background_percentile: float
    nearest_reference: str
    nearest_similarity: float
    has_isoindoline: bool
    has_glutarimide: bool
    glutarimide_nh: bool
    crbn_pharmacophore: bool
    mcs_atoms: int
    mcs_fraction: float
    verdict: str
    reason: str

    @property
    def shares(self) -> str:
        """Which halves of thalidomide the compound shares, in words."""
        halves = [
            h
            for h, has in (
                ("isoindoline side", self.has_isoindoline),
                ("glutarimide side", self.has_glutarimide),
            )
            if has
        ]
        return " and ".join(halves) if halves else "neither half"

    def to_dict(self) -> dict:
        """Plain dict of all fields (for DataFrames and JSON)."""
        return asdict(self)

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs for printing."""
        yes_no = {True: "yes", False: "no"}
        return [
            ("compound", self.name or self.query),
            ("SMILES (standardised)", self.smiles),
            ("InChIKey", self.inchikey),
            ("Tanimoto to thalidomide (Morgan r2, 2048)", f"{self.sim_thalidomide:.3f}"),
            (
                f"NCI percentile, query-centred (n = "
                f"{len(background_fingerprints(DEFAULT_FINGERPRINT)):,})",
                f"{self.background_percentile:.1f}",
            ),
            (
                "nearest other reference",
                f"{self.nearest_reference} ({self.nearest_similarity:.3f})",
            ),
            ("shares with thalidomide", self.shares),
            ("isoindoline core", yes_no[self.has_isoindoline]),
            ("glutarimide ring", yes_no[self.has_glutarimide]),
            ("glutarimide N-H", yes_no[self.glutarimide_nh]),
            ("cereblon-binding motif", yes_no[self.crbn_pharmacophore]),
            ("MCS with thalidomide", f"{self.mcs_atoms} of 19 atoms ({self.mcs_fraction:.0%})"),
            ("verdict", self.verdict),
            ("reason", self.reason),
        ]

    def __str__(self) -> str:
        rows = self.lines()
        width = max(len(label) for label, _ in rows)
        return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)

    def _repr_html_(self) -> str:
        from html import escape

        cells = "".join(
            f"<tr><th style='text-align:left'>{escape(label)}</th><td>{escape(value)}</td></tr>"
            for label, value in self.lines()
        )
        return f"<table>{cells}</table>"


def explain(molecule: MolInput, mcs_timeout: int = 2) -> Evidence:
    """The full evidence record for one compound (reference name, synonym, SMILES or Mol).

    >>> record = explain("apremilast")
    >>> record.verdict, record.has_isoindoline, record.has_glutarimide
    ('distant, non-cereblon', True, False)
    >>> print(record.reason)
    shares only the isoindoline half of thalidomide; no glutarimide, so no cereblon-binding imide
    """
    name, mol = resolve(molecule)
    quick = quick_evidence(mol, exclude_self=True)
    background = sorted(
        DataStructs.BulkTanimotoSimilarity(
            fingerprint(mol, DEFAULT_FINGERPRINT), background_fingerprints(DEFAULT_FINGERPRINT)
        )
    )
    common = mcs(mol, "thalidomide", timeout=mcs_timeout)
    with rdBase.BlockLogs():
        key = Chem.MolToInchiKey(mol)
    query = molecule if isinstance(molecule, str) else Chem.MolToSmiles(mol)
    return Evidence(
        query=query,
        name=name,
        smiles=Chem.MolToSmiles(mol),
        inchikey=key,
        background_percentile=percentile(quick["sim_thalidomide"], background),
        mcs_atoms=common.num_atoms,
        mcs_fraction=common.fraction_of_reference,
        **quick,
    )


EVIDENCE_COLUMNS: tuple[str, ...] = (
    "sim_thalidomide",
    "nearest_reference",
    "nearest_similarity",
    "has_isoindoline",
    "has_glutarimide",
    "glutarimide_nh",
    "crbn_pharmacophore",
    "verdict",
    "reason",
)
"""The keys of :func:`quick_evidence`, in order: the per-molecule columns of every table."""

RESULT_COLUMNS = ("status", "error", "smiles_std", *EVIDENCE_COLUMNS)


def assess(data: pd.DataFrame | None = None, smiles_col: str = "smiles") -> pd.DataFrame:
    """Verdict columns for every row of a DataFrame (the reference set by default).

    DataFrame in, DataFrame out: same rows, order and index; the caller's frame is not
    modified. A row whose SMILES cannot be read keeps its place with ``status='error'``
    and the reason in ``error``; every other row is computed.

    >>> table = assess(pd.DataFrame({"smiles": ["O=C1CCC(N2Cc3ccccc3C2=O)C(=O)N1", "C1CC"]}))
    >>> table[["status", "verdict"]].fillna("").values.tolist()
    [['ok', 'cereblon-binding IMiD-like'], ['error', '']]
    >>> table.loc[1, "error"]
    "invalid SMILES 'C1CC': unclosed ring"
    """
    if data is None:
        data = load_reference()
    if not isinstance(data, pd.DataFrame):
        raise InvalidArgumentError(f"expected a pandas DataFrame, got {type(data).__name__}")
    if smiles_col not in data.columns:
        raise InvalidArgumentError(
            f"unknown column {smiles_col!r}; available: {', '.join(map(str, data.columns))}"
        )
    records = []
    for value in data[smiles_col].tolist():
        try:
            mol = to_mol(value)
            quick = quick_evidence(mol)
            records.append(
                {"status": "ok", "error": "", "smiles_std": Chem.MolToSmiles(mol), **quick}
            )
        except ImidchemError as error:
            records.append({"status": "error", "error": str(error)})
    # index set afterwards: from_records(index=...) reads labels that equal column names
    # ("status", "error", ...) as fields to index by
    result = pd.DataFrame.from_records(records, columns=list(RESULT_COLUMNS))
    result.index = data.index
    out = data.copy()
    for column in RESULT_COLUMNS:
        out[column] = result[column]
    return out


def verdict_table(data: pd.DataFrame | None = None, smiles_col: str = "smiles") -> pd.DataFrame:
    """The compact verdict table of the reference set (or any frame with a name column).

    >>> table = verdict_table()
    >>> table.set_index("name").loc["apremilast", "verdict"]
    'distant, non-cereblon'
    """
    frame = assess(data, smiles_col=smiles_col)
    columns = [c for c in ("name", "class", "crbn_binder") if c in frame.columns] + [
        "sim_thalidomide",
        "has_isoindoline",
        "has_glutarimide",
        "crbn_pharmacophore",
        "verdict",
        "reason",
        "status",
    ]
    return frame[columns]
