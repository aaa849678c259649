# Two commands for a fresh machine: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PORT ?= 8000
export PORT
UV := python3 -m uv
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py

.PHONY: run test install messages lint format vendor check-deploy audit bench bench-pages bench-throughput \
	bench-mail-priority scale-drill backup restore restore-drill bench-outbox-kill

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --locked --quiet
	@touch $@

messages: install
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt) ..."; apt-get install -y -qq gettext >/dev/null; }
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

run: messages
	@mkdir -p var/static
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	@# The demo logins it prints (the newcomer's card link among them) name the port served on.
	ANKOMMEN_PORTAL_URL=$${ANKOMMEN_PORTAL_URL:-http://127.0.0.1:$(PORT)} $(MANAGE) seed_demo --if-empty
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} ANKOMMEN_PORTAL_URL=$${ANKOMMEN_PORTAL_URL:-http://127.0.0.1:$(PORT)} \
	  ANKOMMEN_REQUIRE_SECOND_FACTOR=$${ANKOMMEN_REQUIRE_SECOND_FACTOR:-false} $(MANAGE) runportal --port $(PORT)

test: messages
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djlint --lint .
	.venv/bin/lint-imports
	$(PYTHON) -m tools.mypy_ratchet

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check-deploy: install
	DJANGO_SETTINGS_MODULE=ankommen.settings.production DJANGO_SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ANKOMMEN_MFA_KEYS=$$($(PYTHON) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	DJANGO_ALLOWED_HOSTS=ankommen.example $(MANAGE) check --deploy --fail-level WARNING

# A backup of the database and the uploaded files into var/backups (or TO=dir); KEYS=1 also
# writes the second-factor keys to a separate .keys.env file (keep it apart, like a password).
backup: install
	$(MANAGE) backup $(if $(TO),--to "$(TO)") $(if $(KEYS),--with-keys)

# Restores ARCHIVE=var/backups/ankommen-backup-....tar.gz into DATABASE_URL (or the SQLite
# default); refuses a database that is not empty unless YES=1. Stop the portal first.
restore: install
	@test -n "$(ARCHIVE)" || { echo "Usage: make restore ARCHIVE=var/backups/ankommen-backup-<time>.tar.gz [YES=1]" >&2; exit 2; }
	$(MANAGE) restore "$(ARCHIVE)" $(if $(YES),--yes)

# Backup, restore into new databases, compare and serve, on PostgreSQL and SQLite (tools/restore_drill.py).
restore-drill: install
	$(PYTHON) -m tools.restore_drill

# Every locked package against PyPI's vulnerability data (see tools/audit_dependencies.py).
audit: install
	$(PYTHON) -m tools.audit_dependencies

# Benchmarks on PostgreSQL (DATABASE_URL, default: a local ankommen_bench database; the city
# dataset lives in its own database, CITY_DATABASE_URL, default ankommen_city). Results:
# bench/results.json.
bench: install
	@createdb -h 127.0.0.1 -U postgres ankommen_bench 2>/dev/null || true
	$(PYTHON) -m bench.newsletter --recipients $${RECIPIENTS:-10000}
	$(PYTHON) -m bench.matching --sizes $${MATCHING_SIZES:-5000 10000}
	$(PYTHON) -m bench.city
	$(MAKE) bench-pages bench-throughput bench-mail-priority

# A password reset during a 10,000-recipient newsletter, with real workers in each deployment
# shape, an SMTP server taking 5-20 ms a message and Redis database 14 (BENCH_REDIS_URL).
bench-mail-priority: install
	@createdb -h 127.0.0.1 -U postgres ankommen_bench 2>/dev/null || true
	$(PYTHON) -m bench.mail_priority --recipients $${RECIPIENTS:-10000}

# Two web processes behind a proxy, two workers and one beat (tools/scale_drill.py).
scale-drill: install
	$(PYTHON) -m tools.scale_drill

# Key pages at city scale; seeds the city database first if it is not there yet.
bench-pages: install
	$(PYTHON) -m bench.city --if-missing
	$(PYTHON) -m bench.pages

bench-throughput: install
	@command -v wrk >/dev/null || { echo "Installing wrk ..."; apt-get install -y -qq wrk >/dev/null; }
	$(PYTHON) -m bench.city --if-missing
	$(PYTHON) -m bench.throughput

# SIGKILLs both of two real workers five times while a 1,500-recipient newsletter goes out
# (PostgreSQL: DATABASE_URL, default ankommen_bench_kill; Redis: OUTBOX_KILL_BROKER, default
# database 14, emptied). Fails unless the outbox drains within 60 s of the last kill with
# nobody missed and at most 0.1 % sent twice.
bench-outbox-kill: install
	@createdb -h 127.0.0.1 -U postgres ankommen_bench_kill 2>/dev/null || true
	$(PYTHON) -m bench.outbox_kill --recipients $${KILL_RECIPIENTS:-1500} --kills $${KILLS:-5}

# Refresh the vendored front-end assets from npm (committed; nothing loads from a CDN).
vendor:
	npm ci --no-audit --no-fund
	cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} node_modules/bootstrap/dist/css/bootstrap.rtl.min.css{,.map} \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/
	cp node_modules/@fontsource/noto-sans-ethiopic/files/noto-sans-ethiopic-ethiopic-400-normal.woff2 \
	   node_modules/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2 static/vendor/fonts/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
	   node_modules/leaflet/LICENSE static/vendor/leaflet/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/browser/vendor/
