"""Hosting: keep a built site self-contained — no asset from another host, on an intranet or from disk.

``external_assets`` finds what a built page, stylesheet or script would load from elsewhere;
``offline`` points Material's offline (``file://``) build at our vendored worker shim.
"""
