-- 0012: the certificate's public page, which the learner can turn off.
-- A badge's page (/badges/<id>, its .json and .pdf, /verify?id=) is
-- public by its unguessable id (a random UUID) unless the learner turns
-- it off; the learner, administrators and issuers of the learner's
-- subtree always see it.

ALTER TABLE badges ADD COLUMN public boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN badges.public IS
    'Whether anyone with the link sees the certificate (no login, '
    'noindex). The learner turns it off on /badges.';
