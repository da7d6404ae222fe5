"""Random but realistic Project 8 plans with gold by construction: the test bed for table layouts.

`spec.make_plan(seed)` draws a plan (province, units, indicators, values) and a set of layout features;
`logical.build_table` lays the allocation table out as rows of spanning cells; the producers
(`render_pdf`, `render_html`, `render_docx`) write it; `score` compares the pipeline's targets with
the gold cells. Everything is seeded: the same seed gives the same bytes.
"""
