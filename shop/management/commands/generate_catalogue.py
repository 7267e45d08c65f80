"""Generate (or reuse) a deterministic national-scale data set for benchmarks: producers, products, showrooms and
shelves, shoppers and a year of orders with their ledger rows. Generated rows are marked (see
``shop.generator.marks``); demo and real rows are never changed."""

from django.core.management.base import BaseCommand, CommandError

from shop.generator.marks import GenerationRefused
from shop.generator.services import DEFAULT_PRODUCTS, DEFAULT_SEED, Sizes, dataset_ensure


class Command(BaseCommand):
    help = (
        "Generate a deterministic benchmark data set (same seed and sizes: same rows). A second run with the same "
        "arguments reuses it; other sizes, another seed or --rebuild replace only the rows generated before."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=DEFAULT_PRODUCTS, help="products (default 20,000)")
        parser.add_argument("--producers", type=int, help="producers (default: a third of the products)")
        parser.add_argument("--showrooms", type=int, help="showrooms (default: 3.5%% of the products)")
        parser.add_argument("--orders", type=int, help="orders (default: 2.5 per product)")
        parser.add_argument("--shoppers", type=int, help="shopper accounts (default: one per 10 orders, at most 5,000)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
        parser.add_argument("--rebuild", action="store_true", help="generate again even if the data set is there")

    def handle(self, *args, **options):
        try:
            sizes = Sizes.of(products=options["products"], producers=options["producers"],
                             showrooms=options["showrooms"], orders=options["orders"], shoppers=options["shoppers"])
        except ValueError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"sizes: {sizes.products:,} products, {sizes.producers:,} producers, {sizes.showrooms:,} "
                          f"showrooms, {sizes.orders:,} orders, {sizes.shoppers:,} shoppers; seed {options['seed']}")
        try:
            dataset_ensure(sizes=sizes, seed=options["seed"], rebuild=options["rebuild"], log=self.stdout.write)
        except GenerationRefused as refused:
            raise CommandError(str(refused)) from None
