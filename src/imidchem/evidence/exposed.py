"""The exposed face of a cereblon binder: what the neosubstrate's degron sees.

The cyclic imide sits in cereblon's tri-Trp cage; the group on its C3 (the phthalimide of
thalidomide and pomalidomide, the isoindolin-1-one of lenalidomide and the CELMoDs, the
quinazolinone of avadomide, an aryl or anilino group in newer ligands) points out of the
pocket, and with cereblon's surface it forms the face a neosubstrate's beta-hairpin degron
packs against (Petzold 2016 Nature doi:10.1038/nature16979 for CK1alpha; Matyskiela 2016
Nature doi:10.1038/nature18611 for GSPT1; Sievers 2018 Science doi:10.1126/science.aat0572
for the zinc fingers). What hangs on that group, where, and whether the lactam carbon next
to the benzo ring is a carbonyl or a methylene decide which neosubstrates come (REFERENCE.md
section 2; docs/neosubstrates.md).

:func:`exposed_face` numbers the C3 group and describes every substituent on it: ring
position (C4-C7 of an isoindoline, C5-C8 of a quinazolinone, bonds from the imide for other
groups), its kind (:data:`KINDS`, each with its reason), whether it is joined through a
methylene, and its atoms. Positions follow the isoindoline numbering: C1 is the lactam
carbonyl, N2 carries the glutarimide, C3 is the methylene of an isoindolin-1-one (the second
carbonyl of a phthalimide), C4 is the benzo carbon next to C3a; for a phthalimide or an
isoindoline (symmetric), the numbering with the lower locants is used, as IUPAC names do.

>>> face = exposed_face("lenalidomide")
>>> face.core, face.methylene, [(s.position, s.kind) for s in face.substituents]
('isoindolin-1-one', True, [('C4', 'amino')])
>>> [(s.position, s.kind, s.via_methylene) for s in exposed_face("CC-885").substituents]
[('C5', 'urea-linked aryl', True)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdkit import Chem, DataStructs, rdBase
from rdkit.Chem import rdFingerprintGenerator

from ..chem.graph import connected_atoms, ring_system
from ..chem.mol import MolInput

CORES: dict[str, str] = {
    "phthalimide": "isoindoline-1,3-dione on the imide (thalidomide, pomalidomide): C1 and C3 "
    "are carbonyls",
    "isoindolin-1-one": "isoindolin-1-one on the imide (lenalidomide, the CELMoDs, CC-885): "
    "C1 carbonyl, C3 methylene",
    "isoindoline": "isoindoline without a carbonyl on the imide",
    "benzo-fused six-membered lactam": "quinazolin-4-one or a related benzo-lactam (avadomide): "
    "positions C5-C8 of the benzo ring",
    "aryl": "an aromatic ring directly on the imide (phenyl-glutarimide, phenyl-dihydrouracil)",
    "anilino": "an aryl-NH on the imide (anilino-glutarimide)",
    "maleimide": "a maleimide on the imide (the anilinomaleimide IKZF2 series, PDB 7LPS)",
    "other": "another group on the imide",
    "none": "no cereblon-binding imide: no exposed face",
}
"""The C3 groups, with what each is."""


@dataclass(frozen=True)
class Kind:
    """A kind of exposed-face substituent: its name, what it is, and why it matters."""

    name: str
    meaning: str
    reason: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "attachment point",
            "a ligand handle written with '*' (the exit vector of a degrader's linker)",
            "where the linker leaves decides zinc-finger off-target degradation: C4-linked "
            "pomalidomide PROTACs keep it, C5 lowers it (Nguyen 2024 Nat Chem, unverified "
            "citation; NEOSUBSTRATES.md)",
        ),
        Kind(
            "degrader linker",
            "a long chain to a second ligand (a PROTAC's linker; 30 or more heavy atoms)",
            "a linker at C4 keeps the pomalidomide-like face; the far ligand is not part of the "
            "face the degron sees",
        ),
        Kind(
            "amino",
            "NH2",
            "lenalidomide's and pomalidomide's C4-NH2 faces the degron and hydrogen-bonds the "
            "hairpin backbone (Petzold 2016, Sievers 2018); CK1alpha needs lenalidomide's "
            "methylene face (Kronke 2015 doi:10.1038/nature14610)",
        ),
        Kind(
            "hydroxy",
            "OH",
            "5-hydroxythalidomide's C5-OH contacts cereblon and the hairpin's second residue: "
            "SALL4 over IKZF1 (Furihata 2020 Nat Commun 11:4578)",
        ),
        Kind("halogen", "F, Cl, Br or I", "a small group that changes the face's shape"),
        Kind("alkyl", "a saturated carbon group", "a small hydrophobic group"),
        Kind(
            "urea-linked aryl",
            "a urea (N-C(=O)-N) within three bonds of the ring, leading to an aryl",
            "CC-885's C5 methylene urea reaches the GSPT1 hairpin (PDB 5HXB, Matyskiela 2016)",
        ),
        Kind(
            "amide-linked aryl",
            "an amide (C(=O)-N) within three bonds of the ring, leading to an aryl",
            "eragidomide's C5 methylene amide makes it GSPT1-directed (Surka 2021 Blood "
            "doi:10.1182/blood.2020008676)",
        ),
        Kind(
            "ether-linked aryl",
            "an O-CH2-aryl or O-aryl",
            "the C4 benzyl ethers of iberdomide and mezigdomide deepen the Ikaros/Aiolos face "
            "(Matyskiela 2018 J Med Chem doi:10.1021/acs.jmedchem.6b01921)",
        ),
        Kind(
            "amine-linked aryl",
            "an NH-CH2-aryl or NH-aryl",
            "an N-linked extension from the ring (golcadomide type; anilino groups)",
        ),
        Kind(
            "acylamino", "an NH-C(=O)R without an aryl", "apremilast's C4 acetamide type"
        ),
        Kind("substituted amino", "an alkylated N", "an amino group that carries a chain"),
        Kind("alkoxy", "an O-alkyl", "an ether without an aryl"),
        Kind("other", "any other group", "not one of the named kinds"),
    )
}
"""Named kinds of exposed-face substituents, with reasons and citations."""

LINKER_ATOMS = 30
"""Heavy atoms from which a substituent counts as a degrader's linker."""


@dataclass(frozen=True)
class Substituent:
    """One group on the exposed face: where, what, and its atoms."""

    position: str
    """Ring position: 'C4'..'C7' (isoindoline), 'C5'..'C8' (benzo six-membered lactam),
    or 'N bonds' from the imide for other C3 groups."""
    site: str
    """'peri' (next to the ring fusion: C4/C7, C5/C8), 'distal' (C5/C6, C6/C7), or ''."""
    kind: str
    via_methylene: bool
    """Joined to the ring through a CH2 (CC-885, eragidomide)."""
    attach: int
    """Index of the ring atom that carries it."""
    atoms: tuple[int, ...] = field(repr=False)
    smiles: str = ""
    """The group as SMILES, its bond to the ring written as a dummy atom."""

    def describe(self) -> str:
        """'C5 urea-linked aryl via methylene'."""
        via = " via methylene" if self.via_methylene else ""
        return f"{self.position} {self.kind}{via}"


@dataclass(frozen=True)
class ExposedFace:
    """The exposed face of a cereblon binder (levels 1-2); ``core`` 'none' otherwise."""

    core: str
    methylene: bool
    """The lactam carbon C3 is a CH2 (lenalidomide type), not a carbonyl."""
    substituents: tuple[Substituent, ...]
    imide_atoms: tuple[int, ...] = field(repr=False)
    """Atoms of the cyclic imide (in the cage) as matched by the call."""
    core_atoms: tuple[int, ...] = field(repr=False)
    """Atoms of the C3 group's ring system (with its carbonyl oxygens)."""
    positions: dict[str, int] = field(repr=False, default_factory=dict)
    """Ring position label to atom index (isoindoline and six-membered lactam numbering)."""

    def describe(self) -> str:
        """One line: the core and each substituent.

        >>> exposed_face("pomalidomide").describe()
        'phthalimide (C3 carbonyl); C4 amino'
        """
        if self.core == "none":
            return "no exposed face (no cereblon-binding imide)"
        c3 = ""
        if self.core in ("phthalimide", "isoindolin-1-one", "isoindoline"):
            c3 = " (C3 methylene)" if self.methylene else " (C3 carbonyl)"
        groups = "; ".join(s.describe() for s in self.substituents) or "no substituent"
        return f"{self.core}{c3}; {groups}"

    @property
    def face_atoms(self) -> tuple[int, ...]:
        """Atoms of the C3 group and its substituents: the half that faces the degron."""
        return tuple(sorted({*self.core_atoms, *(a for s in self.substituents for a in s.atoms)}))


NO_FACE = ExposedFace("none", False, (), (), ())


def _is_carbonyl(mol: Chem.Mol, index: int) -> bool:
    atom = mol.GetAtomWithIdx(index)
    return any(
        bond.GetBondType() == Chem.BondType.DOUBLE and bond.GetOtherAtom(atom).GetAtomicNum() == 8
        for bond in atom.GetBonds()
    )


def _branch(mol: Chem.Mol, start: int, blocked: set[int]) -> tuple[int, ...]:
    """Atoms reachable from ``start`` without crossing ``blocked``, in index order."""
    return tuple(sorted(connected_atoms(mol, start, blocked)))


_UREA = Chem.MolFromSmarts("[#7]-[CX3](=O)-[#7]")
_AMIDE = Chem.MolFromSmarts("[CX3](=O)-[#7]")
_ACYLAMINO = Chem.MolFromSmarts("[#7]-[CX3]=O")


def _kind(mol: Chem.Mol, first: int, atoms: tuple[int, ...]) -> tuple[str, bool]:
    """Kind of the substituent whose atom bonded to the ring is ``first``; and whether it
    is joined through a methylene."""
    inside = set(atoms)
    symbols = {i: mol.GetAtomWithIdx(i) for i in atoms}
    heavy = [i for i in atoms if symbols[i].GetAtomicNum() > 1]
    if any(symbols[i].GetAtomicNum() == 0 for i in atoms):
        return "attachment point", False
    if len(heavy) >= LINKER_ATOMS:
        return "degrader linker", False
    head = symbols[first]
    via_methylene = head.GetAtomicNum() == 6 and not head.GetIsAromatic() and (
        head.GetTotalNumHs() == 2
    )
    if len(heavy) == 1:
        number = head.GetAtomicNum()
        if number == 7:
            return "amino", False
        if number == 8:
            return "hydroxy", False
        if number in (9, 17, 35, 53):
            return "halogen", False
        if number == 6:
            return "alkyl", False
        return "other", False
    distance = Chem.GetDistanceMatrix(mol)
    near = {i for i in atoms if distance[first][i] <= 3}
    aryl = any(symbols[i].GetIsAromatic() for i in atoms)

    def hit(query: Chem.Mol) -> bool:
        return any(
            set(match) <= inside and set(match) & near for match in mol.GetSubstructMatches(query)
        )

    if aryl and hit(_UREA):
        return "urea-linked aryl", via_methylene
    if aryl and hit(_AMIDE):
        return "amide-linked aryl", via_methylene
    if head.GetAtomicNum() == 8:
        return ("ether-linked aryl" if aryl else "alkoxy"), False
    if head.GetAtomicNum() == 7:
        if hit(_ACYLAMINO):
            return "acylamino", False
        return ("amine-linked aryl" if aryl else "substituted amino"), False
    if all(symbols[i].GetAtomicNum() == 6 and not symbols[i].GetIsAromatic() for i in heavy):
        return "alkyl", False
    if via_methylene and aryl:
        return "other", True
    return "other", via_methylene


def _isoindoline_numbering(
    mol: Chem.Mol, ring5: set[int], benzo: set[int], nitrogen: int
) -> tuple[list[dict[str, int]], bool | None]:
    """Both numberings (C1 side first) of an isoindoline ring; and whether C3 is a CH2
    (None when both sides are alike)."""
    fused = ring5 & benzo
    sides = [i for i in ring5 if i != nitrogen and i not in fused]
    if len(sides) != 2 or len(fused) != 2:
        return [], None
    numberings = []
    for c1, c3 in (sides, sides[::-1]):
        c7a = next(i for i in fused if mol.GetBondBetweenAtoms(i, c1))
        c3a = next(i for i in fused if i != c7a)
        path = _benzo_walk(mol, benzo, c3a, c7a)
        numberings.append(
            {"C1": c1, "C3": c3, "C3a": c3a, "C4": path[1], "C5": path[2], "C6": path[3],
             "C7": path[4], "C7a": c7a}
        )
    carbonyl = [_is_carbonyl(mol, i) for i in sides]
    if carbonyl[0] == carbonyl[1]:
        return numberings, None
    # C1 is the carbonyl, C3 the methylene
    return ([numberings[0]] if carbonyl[0] else [numberings[1]]), True


def _benzo_walk(mol: Chem.Mol, benzo: set[int], start: int, away_from: int) -> list[int]:
    """The six atoms of the benzo ring in order, from the fusion atom ``start`` walking away
    from the other fusion atom ``away_from`` (so the last atom is ``away_from``)."""
    path = [start]
    previous, current = away_from, start
    while len(path) < 6:
        nxt = next(
            nb.GetIdx()
            for nb in mol.GetAtomWithIdx(current).GetNeighbors()
            if nb.GetIdx() in benzo and nb.GetIdx() != previous
        )
        previous, current = current, nxt
        path.append(nxt)
    return path


def _six_numbering(mol: Chem.Mol, ring6: set[int], benzo: set[int]) -> list[dict[str, int]]:
    """Numbering C4a, C5..C8, C8a of a benzo-fused six-membered lactam: C4a carries the
    lactam carbonyl (quinazolin-4-one numbering)."""
    fused = ring6 & benzo
    if len(fused) != 2:
        return []
    start = [i for i in fused if any(
        _is_carbonyl(mol, nb.GetIdx()) and nb.GetIdx() in ring6
        for nb in mol.GetAtomWithIdx(i).GetNeighbors()
    )]
    c4a = start[0] if len(start) == 1 else sorted(fused)[0]
    c8a = next(i for i in fused if i != c4a)
    path = _benzo_walk(mol, benzo, c4a, c8a)
    numbering = {"C4a": c4a, "C5": path[1], "C6": path[2], "C7": path[3], "C8": path[4],
                 "C8a": c8a}
    c4 = next((nb.GetIdx() for nb in mol.GetAtomWithIdx(c4a).GetNeighbors()
               if nb.GetIdx() in ring6 and nb.GetIdx() not in fused), None)
    n1 = next((nb.GetIdx() for nb in mol.GetAtomWithIdx(c8a).GetNeighbors()
               if nb.GetIdx() in ring6 and nb.GetIdx() not in fused), None)
    rest = ring6 - fused - {c4, n1}
    if c4 is not None and n1 is not None:
        numbering.update({"C4": c4, "N1": n1})
        c2 = [i for i in rest if mol.GetBondBetweenAtoms(i, n1)]
        if c2:
            numbering["C2"] = c2[0]
    return [numbering]


_SITES = {"C4": "peri", "C7": "peri", "C5": "distal", "C6": "distal"}
_SITES6 = {"C5": "peri", "C8": "peri", "C6": "distal", "C7": "distal"}


def _fragment_smiles(mol: Chem.Mol, attach: int, first: int, atoms: Iterable[int]) -> str:
    keep = set(atoms) | {attach}
    editable = Chem.RWMol(mol)
    editable.GetAtomWithIdx(attach).SetAtomicNum(0)
    editable.GetAtomWithIdx(attach).SetIsAromatic(False)
    editable.GetAtomWithIdx(attach).SetNoImplicit(True)
    for index in sorted((a.GetIdx() for a in mol.GetAtoms() if a.GetIdx() not in keep),
                        reverse=True):
        editable.RemoveAtom(index)
    with rdBase.BlockLogs():
        try:
            return Chem.MolToSmiles(editable.GetMol())
        except Exception:  # pragma: no cover - defensive: a fragment that cannot be written
            return ""


def _imide_of(mol: Chem.Mol, match: tuple[int, ...]) -> set[int] | None:
    """Atoms of the cyclic imide ring of the call's match, with its carbonyl oxygens."""
    ring = min(
        (set(r) for r in mol.GetRingInfo().AtomRings() if match[0] in r and match[3] in r),
        key=len,
        default=None,
    )
    if ring is None:  # pragma: no cover - every binder pattern has the imide ring
        return None
    return set(ring) | {
        nb.GetIdx() for i in ring for nb in mol.GetAtomWithIdx(i).GetNeighbors()
        if nb.GetAtomicNum() == 8 and _is_carbonyl(mol, i)
    }


def _exocyclic_group(mol: Chem.Mol, exit_atom: int, imide: set[int]) -> tuple[set[int], str]:
    """The C3 group joined through an exocyclic atom (anilino N, acylamino N, ether O): the
    ring beyond it with that atom, and the core name."""
    exit_symbol = mol.GetAtomWithIdx(exit_atom)
    ring_neighbours = [
        nb.GetIdx() for nb in exit_symbol.GetNeighbors()
        if nb.GetIdx() not in imide and nb.IsInRing()
    ]
    if not ring_neighbours:
        return {exit_atom}, "other"
    system = ring_system(mol, ring_neighbours[0]) | {exit_atom}
    anilino = exit_symbol.GetAtomicNum() == 7 and mol.GetAtomWithIdx(
        ring_neighbours[0]).GetIsAromatic()
    return system, "anilino" if anilino else "other"


def _ring_group(
    mol: Chem.Mol, exit_atom: int
) -> tuple[str, bool, list[dict[str, int]]]:
    """Core name, C3 methylene and candidate numberings of a C3 group whose exit atom is in a
    ring (isoindoline family, benzo-fused six-membered lactam, aryl, maleimide)."""
    exit_symbol = mol.GetAtomWithIdx(exit_atom)
    atom_rings = mol.GetRingInfo().AtomRings()
    rings = [set(r) for r in atom_rings if exit_atom in r]
    lactam = next((r for r in rings if exit_symbol.GetAtomicNum() == 7), None)
    benzo = next(
        (set(r) for r in atom_rings
         if len(r) == 6 and all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in r)
         and lactam is not None and len(set(r) & lactam) == 2),
        None,
    )
    if lactam is not None and benzo is not None and len(lactam) == 5:
        numberings, ch2 = _isoindoline_numbering(mol, lactam, benzo, exit_atom)
        carbonyls = sum(_is_carbonyl(mol, i) for i in lactam)
        core = {2: "phthalimide", 1: "isoindolin-1-one"}.get(carbonyls, "isoindoline")
        return core, bool(ch2), numberings
    if lactam is not None and benzo is not None and len(lactam) == 6:
        return "benzo-fused six-membered lactam", False, _six_numbering(mol, lactam, benzo)
    if exit_symbol.GetIsAromatic():
        return "aryl", False, []
    if lactam is not None and len(lactam) == 5 and sum(
        _is_carbonyl(mol, i) for i in lactam
    ) == 2:
        return "maleimide", False, []
    return "other", False, []


def _with_carbonyl_oxygens(mol: Chem.Mol, system: set[int]) -> set[int]:
    """The ring system's atoms and the oxygens double-bonded to them."""
    core_atoms = set(system)
    for i in system:
        for nb in mol.GetAtomWithIdx(i).GetNeighbors():
            bond = mol.GetBondBetweenAtoms(i, nb.GetIdx())
            if nb.GetAtomicNum() == 8 and bond.GetBondType() == Chem.BondType.DOUBLE:
                core_atoms.add(nb.GetIdx())
    return core_atoms


def _lowest_locants(
    numberings: list[dict[str, int]], groups: list[tuple[int, int, tuple[int, ...]]]
) -> dict[str, int]:
    """The numbering that gives the substituents the lowest locants (phthalimide, isoindoline:
    both directions are possible); empty without a numbering."""
    if not numberings:
        return {}

    def locants(numbering: dict[str, int]) -> list[int]:
        where = {v: k for k, v in numbering.items()}
        return sorted(int(where[i][1]) for i, _, _ in groups if i in where)

    return min(numberings, key=locants)


def _substituents(
    mol: Chem.Mol, groups: list, positions: dict[str, int], core: str, imide_atom: int
) -> tuple[Substituent, ...]:
    """One :class:`Substituent` per group (attach atom, first atom, atoms), sorted by position
    and kind; groups off the numbered ring are placed by their bonds from ``imide_atom``."""
    where = {v: k for k, v in positions.items()}
    sites = _SITES6 if core == "benzo-fused six-membered lactam" else _SITES
    distance = None
    out = []
    for attach, first, atoms in groups:
        kind, via = _kind(mol, first, atoms)
        if attach in where:
            position = where[attach]
            site = sites.get(position, "")
        else:
            if distance is None:
                distance = Chem.GetDistanceMatrix(mol)
            position = f"{int(distance[imide_atom][attach])} bonds"
            site = ""
        out.append(
            Substituent(
                position, site, kind, via, attach, atoms,
                _fragment_smiles(mol, attach, first, atoms),
            )
        )
    out.sort(key=lambda s: (s.position, s.kind))
    return tuple(out)


def face_of_mol(mol: Chem.Mol, call=None) -> ExposedFace:
    """The exposed face of an already standardised Mol (``call``: its :class:`CrbnCall`,
    computed when not given). Levels 3-4 get :data:`NO_FACE`."""
    if call is None:
        from .call import call_mol

        call = call_mol(mol)
    if not call.binder or len(call.atoms) < 5:
        return NO_FACE
    match = call.atoms
    imide = _imide_of(mol, match)
    if imide is None:  # pragma: no cover - every binder pattern has the imide ring
        return NO_FACE
    exit_atom = match[4]
    system = ring_system(mol, exit_atom) - imide
    methylene, numberings = False, []
    if system:
        core, methylene, numberings = _ring_group(mol, exit_atom)
    else:
        system, core = _exocyclic_group(mol, exit_atom, imide)
    core_atoms = _with_carbonyl_oxygens(mol, system)
    blocked = core_atoms | imide
    groups = [
        (i, nb.GetIdx(), _branch(mol, nb.GetIdx(), blocked))
        for i in sorted(system)
        for nb in mol.GetAtomWithIdx(i).GetNeighbors()
        if nb.GetIdx() not in blocked and nb.GetAtomicNum() != 1
    ]
    positions = _lowest_locants(numberings, groups)
    return ExposedFace(
        core, methylene, _substituents(mol, groups, positions, core, match[3]),
        tuple(sorted(imide)), tuple(sorted(core_atoms)), dict(positions),
    )


NUMBERED_CORES = frozenset(
    {"phthalimide", "isoindolin-1-one", "isoindoline", "benzo-fused six-membered lactam"}
)
"""C3 groups whose benzo ring is numbered, so a substituent has a peri or distal site."""


def site_pattern(face: ExposedFace) -> str | None:
    """Where the groups sit on the numbered benzo ring of the face: 'none', 'peri' (C4/C7 of
    an isoindoline, C5/C8 of a six-membered lactam: lenalidomide, pomalidomide, iberdomide,
    avadomide), 'distal' (C5/C6, C6/C7: 5-hydroxythalidomide, CC-885, eragidomide) or
    'distal+peri'; None for a C3 group without a numbered ring (aryl, anilino, maleimide).
    The ring position of a group decides which hairpin fits beside it (Furihata 2020 Nat
    Commun 11:4578; Bonazzi 2023 Cell Chem Biol doi:10.1016/j.chembiol.2023.02.005).

    >>> site_pattern(exposed_face("lenalidomide")), site_pattern(exposed_face("CC-885"))
    ('peri', 'distal')
    >>> site_pattern(exposed_face("thalidomide")), site_pattern(exposed_face("7LPS ligand"))
    ('none', None)
    """
    if face.core not in NUMBERED_CORES:
        return None
    sites = sorted({s.site for s in face.substituents if s.site})
    return "+".join(sites) or "none"


def exposed_face(molecule: MolInput) -> ExposedFace:
    """The exposed face of a SMILES, reference name or Mol (standardised first).

    >>> exposed_face("5-hydroxythalidomide").describe()
    'phthalimide (C3 carbonyl); C5 hydroxy'
    >>> exposed_face("apremilast").core
    'none'
    """
    from ..data.reference import resolve

    return face_of_mol(resolve(molecule)[1])


# -- similarity of two faces ---------------------------------------------------------

_CORE_MATCH = {
    frozenset({"phthalimide", "isoindolin-1-one"}): 0.7,
    frozenset({"phthalimide", "isoindoline"}): 0.6,
    frozenset({"isoindolin-1-one", "isoindoline"}): 0.8,
    frozenset({"aryl", "anilino"}): 0.5,
}
_RELATED = (
    frozenset({"amino", "hydroxy"}),
    frozenset({"amino", "substituted amino"}),
    frozenset({"amino", "acylamino"}),
    frozenset({"hydroxy", "alkoxy"}),
    frozenset({"urea-linked aryl", "amide-linked aryl"}),
    frozenset({"ether-linked aryl", "amine-linked aryl"}),
    frozenset({"ether-linked aryl", "alkoxy"}),
    frozenset({"amine-linked aryl", "substituted amino"}),
    frozenset({"attachment point", "degrader linker"}),
    frozenset({"halogen", "alkyl"}),
)
_SMALL = frozenset({"amino", "hydroxy", "halogen", "alkyl"})
CORE_WEIGHT = 0.25
"""Share of the core (carbonyl versus methylene, ring type) in :func:`face_similarity`."""


def _core_match(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return _CORE_MATCH.get(frozenset({a, b}), 0.3)


def _kind_match(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return 0.5 if frozenset({a, b}) in _RELATED else 0.1


def _position_match(a: Substituent, b: Substituent) -> float:
    if a.position == b.position:
        return 1.0
    if a.site and a.site == b.site:
        return 0.5
    return 0.2


@lru_cache(maxsize=4096)
def _fragment_fp(smiles: str):
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=1024)
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles) if smiles else None
    return generator.GetFingerprint(mol) if mol is not None else None


def _pair(a: Substituent, b: Substituent) -> float:
    fa, fb = _fragment_fp(a.smiles), _fragment_fp(b.smiles)
    tanimoto = DataStructs.TanimotoSimilarity(fa, fb) if fa is not None and fb is not None else 0
    via = 1.0 if a.via_methylene == b.via_methylene else 0.8
    return _position_match(a, b) * (0.6 * _kind_match(a.kind, b.kind) + 0.4 * tanimoto) * via


def _weight(s: Substituent) -> float:
    return 0.5 if s.kind in _SMALL else 1.0


def face_similarity(a: ExposedFace, b: ExposedFace) -> float:
    """Similarity 0-1 of two exposed faces: the core (carbonyl versus methylene, ring type;
    weight :data:`CORE_WEIGHT`) and the substituents paired greedily by position, kind
    and the group's own Morgan fingerprint. An unpaired group costs its weight (0.5 for a
    small group: amino, hydroxy, halogen, alkyl; 1 otherwise); the cost is scaled by 0.5 plus
    the larger face's total weight. The glutarimide is not compared: every binder has it.

    >>> round(face_similarity(exposed_face("lenalidomide"), exposed_face("pomalidomide")), 3)
    0.925
    >>> face_similarity(exposed_face("apremilast"), exposed_face("thalidomide"))
    0.0
    """
    if a.core == "none" or b.core == "none":
        return 0.0
    pairs = sorted(
        ((_pair(x, y), i, j) for i, x in enumerate(a.substituents)
         for j, y in enumerate(b.substituents)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    cost = 0.0
    for score, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        weight = max(_weight(a.substituents[i]), _weight(b.substituents[j]))
        cost += weight * (1.0 - score)
    cost += sum(_weight(s) for i, s in enumerate(a.substituents) if i not in used_a)
    cost += sum(_weight(s) for j, s in enumerate(b.substituents) if j not in used_b)
    scale = 0.5 + max(sum(map(_weight, a.substituents)), sum(map(_weight, b.substituents)))
    groups = 1.0 - cost / scale
    groups = max(0.0, min(1.0, groups))
    return CORE_WEIGHT * _core_match(a.core, b.core) + (1.0 - CORE_WEIGHT) * groups
