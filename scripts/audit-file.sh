# Sourced by backup.sh and restore.sh: AUDIT_FILE, where the server
# keeps the audit chain's signed checkpoints, resolved as settings.c
# does (CAPACITA_AUDIT_FILE, audit_file in conf/capacita.conf, else
# var/audit-checkpoints.jsonl).
AUDIT_FILE=${CAPACITA_AUDIT_FILE:-$(sed -n \
    's/^[[:space:]]*audit_file[[:space:]]*=[[:space:]]*\([^#[:space:]]*\).*/\1/p' \
    "${CAPACITA_CONF:-conf/capacita.conf}" 2>/dev/null | tail -1)}
AUDIT_FILE=${AUDIT_FILE:-${CAPACITA_VAR_DIR:-var}/audit-checkpoints.jsonl}
