# Thin wrapper over dev.py, which needs nothing but Python 3.11+.
.PHONY: serve test build
serve:
	python3 dev.py serve
test:
	python3 dev.py test
build:
	python3 dev.py build
