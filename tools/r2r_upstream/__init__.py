"""The upstream drift report (`python tools/upstream.py`, `nox -s upstream`, the e2e run):
R2R's own OpenAPI document against our snapshots, our document openapi/r2r-v3.yaml and our
captures tests/fixtures/*.http.

Every operation we cover is reduced to comparable places, each with its facets (type with `null`
when nullable, required, enum/const, default, format, pattern, bounds, lengths, any other
validation keyword); then two things are reported:

1. **Drift**: the server's document against the committed snapshot of the same R2R version
   (`openapi/upstream/r2r-<version>.json`; for an unknown or new version, the newest snapshot):
   every added, removed or changed place and facet. Any change exits 1.
2. **Two-way coverage** against openapi/r2r-v3.yaml, answered by openapi/upstream/left-out.yaml
   and openapi/upstream/divergences.yaml, each entry with its reason.

One module per job, in the order the data flows:

- `project`: the three operations, and where our document, snapshots and captures live;
- `documents`: read a served or saved document, trim it to our operations;
- `versions`: which R2R version a document is; the snapshot files;
- `refs`: follow a local `$ref`, find every one under a node;
- `facets`: a facet's canonical text and the order of facets on a line;
- `shapes`: fold one schema node (`$ref`, `allOf`, `anyOf`, nullability) into a Shape;
- `places`: flatten an operation into {place: facets};
- `drift`: one upstream document against another, as report lines;
- `captures`: the places and value types the real captures show;
- `listings`: left-out.yaml and divergences.yaml, each entry with its reason;
- `coverage`: upstream against our document, both ways;
- `report`: the printed report;
- `cli`: the command line.

Standard library and PyYAML only, so that `nox -s upstream` installs nothing else.
"""
