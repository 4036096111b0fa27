/*
 * cli-backup.c: bin/capacita keys export|import: the issuer's key files
 * sealed in one vault with a passphrase, for backups and restores.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "capacita.h"

static const char *backup_passphrase(void);

/* For backups: the passphrase that seals the issuer's keys. */
static const char *
backup_passphrase(void)
{
	const char	*p;

	if ((p = getenv("CAPACITA_BACKUP_PASSPHRASE")) == NULL || *p == '\0') {
		fprintf(stderr, "capacita: set CAPACITA_BACKUP_PASSPHRASE to "
		    "the passphrase of the key vault\n");
		return (NULL);
	}
	return (p);
}

/*
 * Seal every issuer key file of keys_dir into one vault file: a JSON
 * object of file name to content, encrypted with the passphrase.
 */
int
cli_backup_export(const char *out)
{
	struct dirent	*d;
	struct buf	 sealed, err;
	const char	*pass;
	DIR		*dir;
	json_t		*all;
	char		*path, *src, *text;
	size_t		 len, n;
	int		 fd, rc;

	if ((pass = backup_passphrase()) == NULL)
		return (2);
	if ((dir = opendir(settings.keys_dir)) == NULL) {
		fprintf(stderr, "capacita: %s: %s\n", settings.keys_dir,
		    strerror(errno));
		return (1);
	}
	all = json_object();
	n = 0;
	while ((d = readdir(dir)) != NULL) {
		if (strncmp(d->d_name, "issuer-", 7) != 0 ||
		    !str_has_suffix(d->d_name, ".json"))
			continue;
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, d->d_name);
		if (file_read(path, &src, &len, 65536) == -1) {
			fprintf(stderr, "capacita: %s: %s\n", path,
			    strerror(errno));
			free(path);
			closedir(dir);
			json_decref(all);
			return (1);
		}
		(void)json_object_set_new(all, d->d_name,
		    json_stringn(src, len));
		sodium_memzero(src, len);
		free(src);
		free(path);
		n++;
	}
	closedir(dir);
	if (n == 0) {
		fprintf(stderr, "capacita: no issuer key in %s\n",
		    settings.keys_dir);
		json_decref(all);
		return (1);
	}
	text = json_dumps(all, JSON_SORT_KEYS);
	json_decref(all);
	buf_init(&sealed, 4096);
	buf_init(&err, 128);
	rc = vault_seal(pass, text, strlen(text), &sealed, &err);
	sodium_memzero(text, strlen(text));
	free(text);
	if (rc == -1) {
		fprintf(stderr, "capacita: %s\n", err.data);
		buf_free(&sealed);
		buf_free(&err);
		return (1);
	}
	rc = 0;
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, sealed.data, sealed.len) != (ssize_t)sealed.len ||
	    fsync(fd) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", out, strerror(errno));
		rc = 1;
	} else
		printf("%zu issuer keys sealed in %s\n", n, out);
	if (fd != -1)
		close(fd);
	buf_free(&sealed);
	buf_free(&err);
	return (rc);
}

/*
 * Open a vault into keys_dir. A key file that exists with other content
 * is not overwritten without --force: a restore must not silently
 * replace the keys badges were signed with.
 */
int
cli_backup_import(const char *in, int force)
{
	struct buf	 plain, err;
	const char	*pass, *name;
	json_t		*all, *v;
	char		*src, *path, *old;
	size_t		 len, olen;
	int		 fd, rc, n;

	if ((pass = backup_passphrase()) == NULL)
		return (2);
	if (file_read(in, &src, &len, SOURCE_MAX) == -1) {
		fprintf(stderr, "capacita: %s: %s\n", in, strerror(errno));
		return (1);
	}
	buf_init(&plain, 4096);
	buf_init(&err, 128);
	rc = vault_open(pass, src, len, &plain, &err);
	free(src);
	if (rc == -1) {
		fprintf(stderr, "capacita: %s: %s\n", in, err.data);
		buf_free(&plain);
		buf_free(&err);
		return (1);
	}
	all = json_loadb(plain.data, plain.len, 0, NULL);
	sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	buf_free(&err);
	if (!json_is_object(all)) {
		fprintf(stderr, "capacita: %s: not a key vault\n", in);
		json_decref(all);
		return (1);
	}
	if (mkdir(settings.keys_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "capacita: %s: %s\n", settings.keys_dir,
		    strerror(errno));
		json_decref(all);
		return (1);
	}
	/* First pass: refuse before writing anything. */
	rc = 0;
	json_object_foreach(all, name, v) {
		if (strncmp(name, "issuer-", 7) != 0 || strchr(name, '/') !=
		    NULL || !str_has_suffix(name, ".json") ||
		    !json_is_string(v)) {
			fprintf(stderr, "capacita: %s: bad entry '%s'\n", in,
			    name);
			rc = 1;
			continue;
		}
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, name);
		if (file_read(path, &old, &olen, 65536) == 0) {
			if (!force && (olen != json_string_length(v) ||
			    memcmp(old, json_string_value(v), olen) != 0)) {
				fprintf(stderr, "capacita: %s exists with "
				    "another key; keep it, or use --force\n",
				    path);
				rc = 1;
			}
			sodium_memzero(old, olen);
			free(old);
		}
		free(path);
	}
	n = 0;
	json_object_foreach(all, name, v) {
		if (rc != 0)
			break;
		(void)xasprintf(&path, "%s/%s", settings.keys_dir, name);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) ==
		    -1 || write(fd, json_string_value(v),
		    json_string_length(v)) != (ssize_t)json_string_length(v) ||
		    fsync(fd) == -1) {
			fprintf(stderr, "capacita: %s: %s\n", path,
			    strerror(errno));
			rc = 1;
		} else
			n++;
		if (fd != -1)
			close(fd);
		free(path);
	}
	json_decref(all);
	if (rc == 0)
		printf("%d issuer keys restored in %s\n", n,
		    settings.keys_dir);
	return (rc);
}
