"""Storefront caching: whole pages for anonymous visitors, fragments otherwise, invalidated by version tokens.

- ``versions``: the tokens every cached page and fragment key carries; bumped after the commit of any write a
  shopper could see.
- ``signals``: which writes bump which token.
- ``middleware``: the whole-page cache for anonymous requests (per language), with CSRF tokens kept out of it.
- ``fragments``: the fragment cache the storefront templates and views use for signed-in or basket-holding shoppers.
"""
