"""Portfolio and policy files are read by one YAML reader: the same encodings, the same
errors, each naming the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.policy import load_policy
from scanner.kernel.errors import InputError, PortfolioError
from scanner.portfolio import load_portfolio

BOM = "\ufeff".encode()
PORTFOLIO = "products:\n  - name: A\n    repositories:\n      - path: .\n"
POLICY = "extends: os2\nname: mine\n"


def test_both_files_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "portfolio.yaml").write_bytes(BOM + PORTFOLIO.encode())
    (tmp_path / "policy.yaml").write_bytes(BOM + POLICY.encode())
    assert load_portfolio(tmp_path / "portfolio.yaml").specs[0].product == "A"
    assert load_policy(tmp_path / "policy.yaml").name == "mine"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: [unclosed\n", 3, "is not valid YAML"),
        ("# K\xf8benhavn\n", 1, "is not UTF-8 text"),
        ("products: []\nproducts: []\n", 2, "the key 'products' appears twice"),
        ("1: x\n", 1, "has a key that is not a plain name"),
        ("- a\n", 1, "must be a mapping of keys to values"),
    ],
)
def test_both_files_fail_alike_at_the_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    data = text.encode("latin-1") if "\xf8" in text else text.encode()
    (tmp_path / "portfolio.yaml").write_bytes(data)
    (tmp_path / "policy.yaml").write_bytes(data.replace(b"products", b"waivers"))
    with pytest.raises(PortfolioError) as portfolio_error:
        load_portfolio(tmp_path / "portfolio.yaml")
    with pytest.raises(InputError) as policy_error:
        load_policy(tmp_path / "policy.yaml")
    errors = {"portfolio.yaml": portfolio_error.value, "policy.yaml": policy_error.value}
    for name, error in errors.items():
        expected = message if name == "portfolio.yaml" else message.replace("products", "waivers")
        assert error.line == line, str(error)
        assert expected in str(error)
        assert str(error).startswith(f"{tmp_path / name}:{line}: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError, match="the portfolio file does not exist"):
        load_portfolio(tmp_path / "nowhere.yaml")
