"""What cereblon is expected to do with a molecule: a neosubstrate profile by read-across.

For a cereblon binder (levels 1-2), the precedents are the compounds of the outcome table
(:mod:`imidchem.data.neosubstrates`) ranked by the similarity of their *exposed face*
(:mod:`imidchem.evidence.exposed`), not of the whole molecule: every binder shares the
glutarimide, and what differs, the group on its C3 and what hangs on it, is what the degron
sees. Per neosubstrate the call is:

- ``reported``: the compound itself is in the table (its outcome is quoted);
- ``expected``: the nearest precedent with an outcome for this gene was degraded, and its
  face is at least :data:`EXPECTED_SIMILARITY` alike;
- ``not expected``: the nearest precedent was not degraded, at least as alike;
- ``not expected`` also when the face read-across does not decide and **every** precedent
  with the same substitution pattern (:func:`~imidchem.evidence.exposed.site_pattern`: groups
  at the peri or the distal positions of the benzo ring) was not degraded: where a group
  sits decides which hairpins still fit (:data:`POSITION_RULE`). Only losses are carried
  over this way; recruitment needs a similar face, not only a similar position;
- ``possible``: a binder whose nearest precedents are less alike, disagree, or are missing;
- ``no cereblon binding``: levels 3-4; nothing is expected, and the reason says why.

This is read-across from published outcomes: "expected by precedent" is not "degrades",
and a selectivity claim of a paper is not a measurement (the table's ``basis`` says which).

>>> profile = neosubstrates("lenalidomide")
>>> profile.calls["CSNK1A1"], profile.calls["GSPT1"]
('reported', 'reported')
>>> neosubstrates("apremilast").calls["IKZF1"]
'no cereblon binding'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from rdkit import Chem

from ..chem.mol import MolInput
from ..data.neosubstrates import GENES, NEOSUBSTRATES, outcome_rows
from ..data.reference import canonical_name, reference_mol, resolve
from ..display import render
from ..errors import UnknownNameError
from .call import call_mol
from .exposed import ExposedFace, face_of_mol, face_similarity, site_pattern

CALLS: tuple[str, ...] = ("reported", "expected", "possible", "not expected", "no cereblon binding")
"""The calls, from most to least direct evidence (the values of the ``neo_`` columns)."""

EXPECTED_SIMILARITY = 0.7
"""Exposed-face similarity from which the nearest precedent's outcome is carried over as
'expected' or 'not expected' (lenalidomide and pomalidomide faces: 0.925; thalidomide and
pomalidomide: 0.75; lenalidomide and CC-885: 0.28)."""

TIE = 0.05
"""Precedents within this similarity of the nearest one count as equally near."""

POSITION_RULE = (
    "the ring position of a group on the exposed face decides which degron hairpins still fit "
    "beside it: a C5 hydroxy turns thalidomide SALL4-specific over IKZF1 (Furihata 2020 Nat "
    "Commun 11:4578), C5-substituted isoindolinones spare IKZF1/3 for IKZF2 (Bonazzi 2023 doi:"
    "10.1016/j.chembiol.2023.02.005) or GSPT1 (Surka 2021 doi:10.1182/blood.2020008676); a tendency, not a law: within the CC-885 "
    "series of C5 groups Aiolos degradation was tuned in and out (Hansen 2017 doi:"
    "10.1021/acs.jmedchem.6b01911)"
)
"""Why a loss shared by every precedent of one substitution pattern is carried over."""

MAX_PRECEDENTS = 5
"""Precedents a profile lists."""

CAVEAT = (
    "read-across from published outcomes of compounds with a similar exposed face: expected by "
    "precedent is not degraded; confirm in cells"
)


@dataclass(frozen=True)
class Precedent:
    """A compound of the outcome table, how alike its exposed face is, and its outcomes."""

    compound: str
    similarity: float
    face: str
    outcomes: Mapping[str, str]
    sources: Mapping[str, str]

    def to_dict(self) -> dict:
        return {
            "compound": self.compound,
            "similarity": round(self.similarity, 3),
            "face": self.face,
            "outcomes": dict(self.outcomes),
            "sources": dict(self.sources),
        }


@dataclass(frozen=True)
class NeoProfile:
    """The neosubstrate profile of one molecule: a call per gene, the precedents, reasons."""

    query: str
    name: str | None
    smiles: str
    level: int
    verdict: str
    face: ExposedFace = field(repr=False)
    calls: Mapping[str, str]
    reasons: Mapping[str, str]
    precedents: tuple[Precedent, ...]
    excluded: tuple[str, ...] = ()
    caveat: str = CAVEAT
    degrons: tuple = ()
    """With ``degrons=True``: one :class:`~imidchem.chem.pocket.degron.DegronFit` per shipped
    degron (the molecule fitted in the 5fqd pocket with that degron present)."""

    def to_dict(self) -> dict:
        """Plain values for JSON: calls, reasons, precedents, the face."""
        return {
            "query": self.query,
            "name": self.name,
            "smiles": self.smiles,
            "crbn_level": self.level,
            "verdict": self.verdict,
            "exposed_face": self.face.describe(),
            "substituents": [
                {"position": s.position, "site": s.site, "kind": s.kind,
                 "via_methylene": s.via_methylene, "group": s.smiles}
                for s in self.face.substituents
            ],
            "calls": dict(self.calls),
            "reasons": dict(self.reasons),
            "precedents": [p.to_dict() for p in self.precedents],
            "excluded": list(self.excluded),
            "caveat": self.caveat,
            **({"degrons": [d.as_dict() for d in self.degrons]} if self.degrons else {}),
        }

    def __str__(self) -> str:
        return render(self, "text") or repr(self)  # words: imidchem.view.neo

    def _repr_html_(self) -> str:
        return render(self, "html") or ""


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, tuple[str, str, str]]]:
    """compound -> gene -> (outcome, basis, source)."""
    table: dict[str, dict[str, tuple[str, str, str]]] = {}
    for row in outcome_rows():
        table.setdefault(row["compound"], {})[row["gene"]] = (
            row["outcome"], row["basis"], row["source"]
        )
    return table


@lru_cache(maxsize=64)
def _precedent_face(compound: str) -> ExposedFace:
    return face_of_mol(reference_mol(compound))


def _precedent_pattern(compound: str) -> str | None:
    return site_pattern(_precedent_face(compound))


def check_excluded(names: Iterable[str]) -> tuple[str, ...]:
    """Reference names for ``names``; an unknown name raises naming the table's compounds.

    >>> check_excluded(["Revlimid"])
    ('lenalidomide',)
    >>> check_excluded(["aspirin"])
    Traceback (most recent call last):
    ...
    imidchem.errors.UnknownNameError: unknown compound 'aspirin' in exclude; the outcome table has: thalidomide, lenalidomide, pomalidomide, iberdomide, mezigdomide, avadomide, CC-885, eragidomide, 5-hydroxythalidomide, 7LPS ligand, NVP-DKY709
    """
    if isinstance(names, str):
        names = [names]
    out = []
    for name in names:
        try:
            out.append(canonical_name(name))
        except UnknownNameError:
            raise UnknownNameError(
                f"unknown compound {name!r} in exclude; the outcome table has: "
                f"{', '.join(_table())}"
            ) from None
    return tuple(dict.fromkeys(out))


def _outcome_words(outcome: str) -> str:
    return {"yes": "degraded", "no": "not degraded", "weak": "weakly degraded"}[outcome]


def _call_gene(
    gene: str, ranked: list[tuple[float, str]], table: Mapping, pattern: str | None = None
) -> tuple[str, str, list[str]]:
    """Call, reason and the precedents used for one gene, from ranked (similarity, compound);
    ``pattern``: the query's :func:`site_pattern`, for the position rule."""
    call, reason, names = _call_by_face(gene, ranked, table)
    if call != "possible" or pattern is None:
        return call, reason, names
    same = [c for _, c in ranked if gene in table[c] and _precedent_pattern(c) == pattern]
    if same and all(table[c][gene][0] == "no" for c in same):
        listed = ", ".join(f"{c} ({table[c][gene][1]})" for c in same)
        return (
            "not expected",
            f"{reason}; every precedent with the same substitution pattern ({pattern}) was not "
            f"degraded: {listed}; {POSITION_RULE}",
            same,
        )
    return call, reason, names


def _call_by_face(
    gene: str, ranked: list[tuple[float, str]], table: Mapping
) -> tuple[str, str, list[str]]:
    """The nearest-face read-across for one gene (see the module's docstring)."""
    with_gene = [(s, c) for s, c in ranked if gene in table[c]]
    if not with_gene:
        return "possible", f"no precedent in the table has an outcome for {gene}", []
    best = with_gene[0][0]
    near = [(s, c) for s, c in with_gene if s >= best - TIE]
    outcomes = {table[c][gene][0] for _, c in near}
    names = [c for _, c in near]
    listed = ", ".join(f"{c} ({_outcome_words(table[c][gene][0])}, face {s:.2f})" for s, c in near)
    if len(outcomes) > 1:
        return "possible", f"equally near precedents disagree: {listed}", names
    outcome = outcomes.pop()
    if best >= EXPECTED_SIMILARITY:
        call = "not expected" if outcome == "no" else "expected"
        return call, f"nearest precedent on the exposed face: {listed}", names
    return (
        "possible",
        f"nearest precedent{'s' if len(near) > 1 else ''} {listed}: below "
        f"{EXPECTED_SIMILARITY:.2f} face similarity",
        names,
    )


def _degron_fits(mol: Chem.Mol, seed: int) -> tuple:
    """The degron fits of a binder (empty when the molecule is beyond the pocket model)."""
    import time

    from ..chem.pocket.fit import MAX_HEAVY_ATOMS, TIME_LIMIT, fit_degrons

    if mol.GetNumHeavyAtoms() > MAX_HEAVY_ATOMS:
        return ()
    return fit_degrons(mol, seed=seed, deadline=time.process_time() + TIME_LIMIT)


def profile_mol(
    mol: Chem.Mol,
    name: str | None = None,
    query: str = "",
    exclude: Iterable[str] = (),
    call=None,
    degrons: bool = False,
    seed: int = 42,
) -> NeoProfile:
    """The profile of an already standardised Mol (see :func:`neosubstrates`)."""
    excluded = check_excluded(exclude)
    call = call if call is not None else call_mol(mol)
    face = face_of_mol(mol, call)
    table = {c: genes for c, genes in _table().items() if c not in excluded}
    smiles = Chem.MolToSmiles(mol)
    calls: dict[str, str] = {}
    reasons: dict[str, str] = {}
    if not call.binder:
        why = (
            f"level {call.level} ({call.name}): {call.reason}; without cereblon binding no "
            "neosubstrate is recruited"
        )
        return NeoProfile(
            query or smiles, name, smiles, call.level, call.name, face,
            MappingProxyType({g: "no cereblon binding" for g in GENES}),
            MappingProxyType({g: why for g in GENES}), (), excluded,
        )
    ranked = sorted(
        ((face_similarity(face, _precedent_face(c)), c) for c in table if c != name),
        key=lambda item: (-item[0], item[1]),
    )
    own = table.get(name, {}) if name else {}
    pattern = site_pattern(face)
    for gene in GENES:
        if gene in own:
            outcome, basis, source = own[gene]
            calls[gene] = "reported"
            reasons[gene] = f"{name} itself: {_outcome_words(outcome)} ({basis}, {source})"
            continue
        calls[gene], reasons[gene], _ = _call_gene(gene, ranked, table, pattern)
    precedents = tuple(
        Precedent(
            c, s, _precedent_face(c).describe(),
            MappingProxyType({g: v[0] for g, v in table[c].items()}),
            MappingProxyType({g: v[2] for g, v in table[c].items()}),
        )
        for s, c in ranked[:MAX_PRECEDENTS]
    )
    return NeoProfile(
        query or smiles, name, smiles, call.level, call.name, face,
        MappingProxyType(calls), MappingProxyType(reasons), precedents, excluded,
        degrons=_degron_fits(mol, seed) if degrons else (),
    )


def neosubstrates(
    molecule: MolInput, exclude: Iterable[str] = (), degrons: bool = False, seed: int = 42
) -> NeoProfile:
    """The neosubstrate profile of a compound (reference name, SMILES, InChI or Mol).

    ``calls`` maps each gene of :data:`imidchem.data.neosubstrates.GENES` to one of
    :data:`CALLS`; ``precedents`` are the nearest compounds of the outcome table on the
    exposed face, with their outcomes and sources; ``reasons`` say why per gene.
    ``exclude`` removes named compounds from the precedents and the table, so a compound
    can be predicted as if it were new. ``degrons=True`` adds the 3-D degron evidence of a
    binder (:func:`imidchem.chem.pocket.fit.fit_degrons`: five fits, about a second or
    two for a drug-sized molecule); a compatible degron is not a degraded protein.

    >>> neosubstrates("lenalidomide", exclude=["lenalidomide"]).calls["GSPT1"]
    'not expected'
    >>> neosubstrates("pomalidomide", exclude=["pomalidomide"]).calls["IKZF1"]
    'expected'
    """
    name, mol = resolve(molecule)
    query = molecule if isinstance(molecule, str) else Chem.MolToSmiles(mol)
    return profile_mol(mol, name, query, exclude, degrons=degrons, seed=seed)


def neo_reason(profile: NeoProfile) -> str:
    """The ``neo_reason`` column: the exposed face and the nearest precedent (or why none).

    >>> neo_reason(neosubstrates("Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O", exclude=["lenalidomide"]))
    'exposed face isoindolin-1-one (C3 methylene); C4 amino; nearest precedent pomalidomide (face 0.93)'
    """
    if not profile.precedents:
        return next(iter(profile.reasons.values()))
    first = profile.precedents[0]
    return (
        f"exposed face {profile.face.describe()}; nearest precedent {first.compound} "
        f"(face {first.similarity:.2f})"
    )


def neo_error(reason: str) -> tuple:
    """The ``neo_`` values of a row without a profile: empty calls and the reason."""
    from .schema import NEO_ERROR

    return (*NEO_ERROR[:-1], reason)


def neo_values(smiles: str) -> tuple:
    """The :data:`~imidchem.evidence.schema.NEO_COLUMNS` values of one molecule (a
    standardised SMILES); never raises for a bad molecule: the calls are empty and
    ``neo_reason`` says why.

    >>> values = neo_values("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1")
    >>> values[0], values[-1][:22]
    ('reported', 'exposed face phthalimi')
    """
    from ..chem.mol import to_mol
    from ..data.reference import name_of
    from ..errors import ImidchemError

    if not smiles:
        return neo_error("no molecule")
    try:
        mol = to_mol(smiles)
        profile = profile_mol(mol, name_of(mol), smiles)
    except ImidchemError as problem:
        return neo_error(str(problem))
    return (*(profile.calls[g] for g in GENES), neo_reason(profile))


def predicted_agrees(call: str, outcome: str) -> bool | None:
    """Whether a call agrees with a known outcome (None for 'reported' and 'weak').

    >>> predicted_agrees("possible", "yes"), predicted_agrees("possible", "no")
    (True, False)
    """
    if call == "reported" or outcome == "weak":
        return None
    if outcome == "yes":
        return call in ("expected", "possible")
    return call in ("not expected", "no cereblon binding")


__all__ = [
    "CALLS",
    "NEOSUBSTRATES",
    "NeoProfile",
    "Precedent",
    "check_excluded",
    "neosubstrates",
    "predicted_agrees",
    "neo_error",
    "neo_reason",
    "neo_values",
    "profile_mol",
]
