"""Stereoisomers to place: undefined stereocentres enumerated, the cyclic imide's first.

The glutarimide C3-H of thalidomide-like drugs is acidic and racemises in vivo, so marketed
racemates and vendors' files carry no stereo flag there, while every cereblon crystal
structure shows the (S) form. A conformer generator picks a configuration at random for an
undefined centre, so the pose (and its score) would depend on the random seed. Instead each
configuration of the centres in the anchored imide (or lactam) ring is placed and scored, and the
result says which one it reports and how the other fared.

>>> forms = stereo_forms(Chem.MolFromSmiles("O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"))
>>> [(f.label, f.given) for f in forms]
[('S', False), ('R', False)]
>>> [Chem.MolToSmiles(f.mol) for f in forms]
['O=C1CC[C@H](N2C(=O)c3ccccc3C2=O)C(=O)N1', 'O=C1CC[C@@H](N2C(=O)c3ccccc3C2=O)C(=O)N1']
>>> [(f.label, f.given) for f in stereo_forms(Chem.MolFromSmiles("O=C1CC[C@@H](c2ccccc2)C(=O)N1"))]
[('S', True)]
>>> stereo_forms(Chem.MolFromSmiles("O=C1CCCC(=O)N1"))[0].label
''
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem, rdBase
from rdkit.Chem import rdCIPLabeler, rdDistGeom

from ..patterns import CYCLIC_IMIDE_NH, anchor_atoms

MAX_FORMS = 4  # stereoisomers placed at most (2 when the molecule is large: see pocket_fit)
LACTAM_RING_ONLY = True
"""Where the pose anchors an N-H ring lactam (no N-H cyclic imide), undefined centres outside
the lactam ring are not enumerated: the conformer generator gives each conformer a
configuration there, the search picks among them, and the fit names them in
``left_undefined`` (``pocket_reason`` says so). Imides (the glutarimide C3 first) enumerate as
before. On the first 20,000 MOSES test molecules, 112 of the 1,124 fitted: 144.0 CPU s before,
68.4 s now (docs/performance.md)."""
_TETRAHEDRAL = (Chem.ChiralType.CHI_TETRAHEDRAL_CW, Chem.ChiralType.CHI_TETRAHEDRAL_CCW)


@dataclass(frozen=True, eq=False)
class StereoForm:
    """One stereoisomer to place.

    ``label``: CIP label(s) of the stereocentre(s) in the imide/lactam ring ("S", "R", or
    e.g. "S,R" for two; "" when that ring has none). ``given``: the input defined them.
    ``left_undefined``: undefined centres not enumerated (beyond :data:`MAX_FORMS`, or bridgeheads
    outside the anchored ring), left to the conformer generator (atom indices)."""

    mol: Chem.Mol
    label: str
    given: bool
    left_undefined: tuple[int, ...] = ()


def anchor_ring_atoms(mol: Chem.Mol) -> set[int]:
    """Atoms of the rings that hold what the pose anchors (the N-H cyclic imide or N-H ring
    lactam of :func:`imidchem.chem.patterns.anchor_atoms`, the one shared definition).

    >>> sorted(anchor_ring_atoms(Chem.MolFromSmiles("O=C1CCC(c2ccccc2)C(=O)N1")))
    [1, 2, 3, 4, 11, 13]
    >>> anchor_ring_atoms(Chem.MolFromSmiles("CN1C(=O)CCC(c2ccccc2)C1=O"))  # N-methyl: none
    set()
    """
    rings = mol.GetRingInfo().AtomRings()
    out: set[int] = set()
    for match in anchor_atoms(mol):
        nitrogen = match[2]
        for ring in rings:
            if nitrogen in ring and match[1] in ring:
                out.update(ring)
    return out


def stereo_forms(mol: Chem.Mol, max_forms: int = MAX_FORMS) -> list[StereoForm]:
    """The stereoisomers of ``mol`` to place: every configuration of its undefined
    tetrahedral centres, those in the anchored imide/lactam ring first, as long as there are
    at most ``max_forms``; further undefined centres are left undefined (the conformer
    generator picks; reported in ``left_undefined``). Centres in more than one ring (bridgeheads,
    fusion atoms: their configurations depend on each other, and a free choice can make a
    ring system that cannot exist) are enumerated only in the anchored ring, and a
    combination of such centres that the conformer generator cannot build
    (:func:`_buildable`) is dropped. Where the anchor is an N-H ring lactam (no N-H cyclic
    imide), only the lactam ring's centres are enumerated (:data:`LACTAM_RING_ONLY`). Defined
    centres are kept. The first form is (S) where the choice exists.

    >>> bridged = stereo_forms(Chem.MolFromSmiles("CC12CC(NC(=O)N1)c1ccccc1O2"))
    >>> [f.label for f in bridged]  # (2R,6S) and (2S,6R) cannot be built: dropped
    ['S,S', 'R,R']
    >>> lactam = stereo_forms(Chem.MolFromSmiles("CC(O)c1ccc(C2CCC(=O)N2)cc1"))
    >>> [f.label for f in lactam], lactam[0].left_undefined  # the alcohol carbon: left
    (['S', 'R'], (1,))
    """
    ring = anchor_ring_atoms(mol)
    info = mol.GetRingInfo()
    undefined = [
        stereo.centeredOn
        for stereo in Chem.FindPotentialStereo(mol)
        if stereo.type == Chem.StereoType.Atom_Tetrahedral
        and stereo.specified == Chem.StereoSpecified.Unspecified
    ]
    undefined.sort(key=lambda i: (i not in ring, i))
    ring_only = LACTAM_RING_ONLY and not CYCLIC_IMIDE_NH.matches(mol)
    free = [
        i for i in undefined if i in ring or (not ring_only and info.NumAtomRings(i) <= 1)
    ]
    n = 0
    while n < len(free) and 2 ** (n + 1) <= max(1, max_forms):
        n += 1
    enumerated = free[:n]
    left_undefined = tuple(i for i in undefined if i not in enumerated)
    in_ring = sorted(
        i for i in ring if mol.GetAtomWithIdx(i).GetChiralTag() in _TETRAHEDRAL or i in enumerated
    )
    given = bool(in_ring) and not any(i in enumerated for i in in_ring)
    forms = []
    for code in range(2**n):
        form = Chem.Mol(mol)
        for bit, atom in enumerate(enumerated):
            form.GetAtomWithIdx(atom).SetChiralTag(_TETRAHEDRAL[(code >> bit) & 1])
        Chem.AssignStereochemistry(form, cleanIt=True, force=True)
        rdCIPLabeler.AssignCIPLabels(form)
        label = ",".join(
            form.GetAtomWithIdx(i).GetProp("_CIPCode")
            for i in in_ring
            if form.GetAtomWithIdx(i).HasProp("_CIPCode")
        )
        forms.append(StereoForm(form, label, given, left_undefined))
    coupled = [k for k, i in enumerate(enumerated) if info.NumAtomRings(i) > 1]
    if len(coupled) >= 2:
        forms = _buildable(forms, coupled)
    # (S) first, so that ties go to the configuration of the crystal ligands
    forms.sort(key=lambda f: (f.label.count("R"), f.label))
    return forms


def _buildable(forms: list[StereoForm], coupled: list[int]) -> list[StereoForm]:
    """``forms`` (in enumeration order: form ``code`` has bit ``k`` set where the ``k``-th
    enumerated centre is CCW) without those whose ring-fusion or bridgehead centres (bits
    ``coupled``) are in a relative configuration the conformer generator cannot build; all
    of them if none can be built (the fit then says why).

    A bridged bicycle such as the 2,6-methano-1,3,5-benzoxadiazocine of oxa-bridged Biginelli
    products has two bridgeheads whose configurations go together: two of the four
    combinations cannot exist, and ETKDG tried each until the per-molecule time limit. The
    relative configuration is a property of the ring system, shared by a form and its mirror
    image at those centres, so each relative configuration is tried (:data:`BUILD_ATTEMPTS`
    ETKDG attempts, fixed seed: deterministic) on its forms in turn until one embeds."""
    mask = sum(1 << k for k in coupled)
    first = 1 << coupled[0]

    def relative(code: int) -> int:  # the coupled bits, mirrored so the first one is 0
        bits = code & mask
        return bits ^ mask if bits & first else bits

    groups: dict[int, list[int]] = {}
    for code in range(len(forms)):
        groups.setdefault(relative(code), []).append(code)
    keep = {
        rel for rel, codes in groups.items() if any(_embeds(forms[c].mol) for c in codes)
    }
    if not keep:
        return forms
    return [f for code, f in enumerate(forms) if relative(code) in keep]


BUILD_ATTEMPTS = 30
"""ETKDG attempts with which a ring system's relative configuration must embed once to be
placed (:func:`_buildable`); a buildable one took up to 20 on the MOSES bridged ureas checked,
an impossible one fails every attempt (5-20 ms each at 16-24 heavy atoms)."""


def _embeds(mol: Chem.Mol) -> bool:
    """Whether ETKDG (seed 42) builds ``mol`` within :data:`BUILD_ATTEMPTS` attempts."""
    params = rdDistGeom.ETKDGv3()
    params.randomSeed = 42
    params.maxIterations = BUILD_ATTEMPTS
    params.timeout = 10  # s, wall; a guard only: the attempts bound the work
    with rdBase.BlockLogs():
        return rdDistGeom.EmbedMolecule(Chem.AddHs(mol), params) >= 0
