"""The kit every area's pages and API build on (the bottom layer under the areas): form widgets and
fields, the htmx prompt answer, the .xlsx export of lists, keyset pagination of API lists, the
read-only admin and the template tags
``exporting`` and ``punctuation``. It imports only the rules core and Django; the top layer that
puts the areas together (home page, menu, set-up, error pages) is ``aftersales.web``."""
