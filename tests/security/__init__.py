"""Security and tenancy review: tests that prove the product's promises across every app."""
