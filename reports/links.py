"""Where each product and repository lives in a published report: stable, collision-free paths.

The site is laid out so that people can link to a product or a repository and the link keeps
working scan after scan:

    products/<product>/index.html                          the product's page
    products/<product>/badge.svg                           its badge, for a README
    products/<product>.json                                its status, for other tools
    products/<product>/repositories/<repository>/index.html
    products/<product>/repositories/<repository>/badge.svg
    products/<product>/repositories/<repository>/sbom.spdx.json
    products/<product>/repositories/<repository>/sbom.cdx.json     (CycloneDX)

The slugs come from `scanner.kernel.names.unique_slugs`: they depend only on the names, so the same
portfolio gives the same paths every time, and names that would share a slug are kept apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scanner.kernel.names import unique_slugs


@dataclass(frozen=True)
class SiteLinks:
    """The slug of every product, and of every repository within its product."""

    products: dict[str, str]
    repositories: dict[tuple[str, str], str]

    @classmethod
    def of(cls, repositories: Iterable[tuple[str, str]], products: Iterable[str] = ()) -> SiteLinks:
        """Slugs for `(product, repository)` pairs and for `products` (which may have none)."""
        pairs = list(dict.fromkeys(repositories))
        product_slugs = unique_slugs([*products, *(p for p, _ in pairs)])
        by_product: dict[str, list[str]] = {}
        for product, repository in pairs:
            by_product.setdefault(product, []).append(repository)
        repository_slugs = {
            (product, repository): repo_slug
            for product, names in by_product.items()
            for repository, repo_slug in unique_slugs(names).items()
        }
        return cls(products=product_slugs, repositories=repository_slugs)

    def product_folder(self, product: str) -> str:
        return f"products/{self.products[product]}"

    def product_page(self, product: str) -> str:
        return f"{self.product_folder(product)}/index.html"

    def product_badge(self, product: str) -> str:
        return f"{self.product_folder(product)}/badge.svg"

    def product_json(self, product: str) -> str:
        return f"{self.product_folder(product)}.json"

    def repository_folder(self, product: str, repository: str) -> str:
        slug = self.repositories[(product, repository)]
        return f"{self.product_folder(product)}/repositories/{slug}"

    def repository_page(self, product: str, repository: str) -> str:
        return f"{self.repository_folder(product, repository)}/index.html"

    def repository_badge(self, product: str, repository: str) -> str:
        return f"{self.repository_folder(product, repository)}/badge.svg"

    def repository_spdx(self, product: str, repository: str) -> str:
        return f"{self.repository_folder(product, repository)}/sbom.spdx.json"

    def repository_cyclonedx(self, product: str, repository: str) -> str:
        return f"{self.repository_folder(product, repository)}/sbom.cdx.json"

    def badge(self, product: str, repository: str | None = None) -> str:
        """The badge of a product, or of one of its repositories."""
        if repository is None:
            return self.product_badge(product)
        return self.repository_badge(product, repository)
