"""Write the small screen test inputs (run once; the files are committed).

Every file mixes good molecules with broken records: unparsable SMILES, empty lines,
bytes that are not UTF-8, rows with the wrong number of fields, broken SDF blocks.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

THALIDOMIDE = "O=C1CCC(N2C(=O)c3ccccc3C2=O)C(=O)N1"
LENALIDOMIDE = "Nc1cccc2c1CN(C1CCC(=O)NC1=O)C2=O"
POMALIDOMIDE = "Nc1cccc2c1C(=O)N(C1CCC(=O)NC1=O)C2=O"
APREMILAST = "CCOc1cc([C@@H](CS(C)(=O)=O)N2C(=O)c3cccc(NC(C)=O)c3C2=O)ccc1OC"
GLUTETHIMIDE = "CCC1(c2ccccc2)CCC(=O)NC1=O"
N_METHYL = "CN1C(=O)CCC(N2C(=O)c3ccccc3C2=O)C1=O"
PHENYL_GLUTARIMIDE = "O=C1CCC(c2ccccc2)C(=O)N1"


def smi() -> bytes:
    lines = [
        b"SMILES Name",
        f"{THALIDOMIDE} thalidomide".encode(),
        f"{LENALIDOMIDE}\tlenalidomide".encode(),
        f"{APREMILAST} apremilast".encode(),
        b"C1CC broken ring",
        b"",
        b"c1ccccc1",
        f"{N_METHYL} N-methyl thalidomide".encode(),
        b"CC(=O)Oc1ccccc1C(=O)O caf\xe9 aspirin",
        f"{PHENYL_GLUTARIMIDE} phenyl-glutarimide\r".encode(),
        b"C[N+](C)(C)C.[Cl-] tetramethylammonium chloride",
        b"Xx not-an-element",
        f"{GLUTETHIMIDE} glutethimide".encode(),
    ]
    return b"\n".join(lines) + b"\n"


def table(sep: str, header: tuple[str, ...]) -> bytes:
    rows = [
        sep.join(header),
        sep.join(["T-1", THALIDOMIDE, "thalidomide"]),
        sep.join(['"P-2, pomalidomide"', POMALIDOMIDE, '"quoted id, with the separator"']),
        sep.join(["B-3", "C1CC", "bad SMILES"]),
        sep.join(["E-4", "", "empty SMILES cell"]),
        sep.join(["W-5", "CCO", "too", "many fields"]),
        "",
        sep.join(["G-6", GLUTETHIMIDE, "glutethimide"]),
        sep.join(["L-7", "CC\udce9O", "latin-1 byte in the SMILES"]),
        sep.join(["A-8", APREMILAST, "apremilast"]),
    ]
    return "\n".join(rows).encode("utf-8", "surrogateescape") + b"\n"


def sdf() -> bytes:
    from rdkit import Chem

    def block(smiles: str, title: str, fields: dict[str, str], sanitize: bool = True) -> str:
        mol = Chem.MolFromSmiles(smiles, sanitize=sanitize)
        mol.SetProp("_Name", title)
        text = Chem.MolToMolBlock(mol, kekulize=sanitize)
        for name, value in fields.items():
            text += f"> <{name}>\n{value}\n\n"
        return text + "$$$$\n"

    good = block(THALIDOMIDE, "thalidomide", {"ID": "S-1"})
    untitled = block(LENALIDOMIDE, "", {"ID": "S-2"})
    no_end = "broken\n  RDKit\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\n$$$$\n"
    valence = block("C(C)(C)(C)(C)C", "five-valent carbon", {"ID": "S-4"}, sanitize=False)
    latin = block("CCO", "cafXe9", {"ID": "S-5"}).replace("cafXe9", "caf\udce9")
    empty = "\n$$$$\n"
    last = block(APREMILAST, "apremilast", {"ID": "S-7"})
    text = good + untitled + no_end + valence + latin + empty + last
    return text.encode("utf-8", "surrogateescape")


def parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "compound": pa.array([101, 102, 103, None, 105], pa.int64()),
            "SMILES": [THALIDOMIDE, None, "C1CC", APREMILAST, ""],
            "note": ["thalidomide", "null SMILES", "bad", "no id", "empty"],
        }
    )
    pq.write_table(table, path)


if __name__ == "__main__":
    (HERE / "library.smi").write_bytes(smi())
    (HERE / "library.csv").write_bytes(table(",", ("ID", "Structure", "note")))
    (HERE / "library.tsv").write_bytes(table("\t", ("id", "smiles", "note")))
    (HERE / "library.sdf").write_bytes(sdf())
    parquet(HERE / "library.parquet")
