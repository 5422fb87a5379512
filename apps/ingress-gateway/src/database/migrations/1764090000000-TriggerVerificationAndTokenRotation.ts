import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signature verification (the scheme's options and its sealed secrets) and token rotation
 * (the previous token's hash, valid until the end of its grace).
 */
export class TriggerVerificationAndTokenRotation1764090000000 implements MigrationInterface {
  name = 'TriggerVerificationAndTokenRotation1764090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE gateway.triggers
      ADD COLUMN verification_options jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN signing_secrets jsonb NOT NULL DEFAULT '[]'::jsonb,
      ADD COLUMN previous_token_hash text,
      ADD COLUMN previous_token_valid_until timestamptz`);
    await q.query(`ALTER TABLE gateway.triggers ADD CONSTRAINT triggers_verification_scheme
      CHECK (verification_scheme IN ('none', 'standard-webhooks', 'shopify', 'stripe', 'github', 'razorpay', 'woocommerce', 'twilio', 'hmac'))`);
    // Ciphertext only: [{"keyId", "ciphertext"}], current secret first, at most the previous one after it.
    await q.query(`ALTER TABLE gateway.triggers ADD CONSTRAINT triggers_signing_secrets
      CHECK (jsonb_typeof(signing_secrets) = 'array' AND jsonb_array_length(signing_secrets) <= 2)`);
    await q.query(`ALTER TABLE gateway.triggers ADD CONSTRAINT triggers_previous_token
      CHECK ((previous_token_hash IS NULL) = (previous_token_valid_until IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE gateway.triggers
      DROP CONSTRAINT triggers_previous_token,
      DROP CONSTRAINT triggers_signing_secrets,
      DROP CONSTRAINT triggers_verification_scheme,
      DROP COLUMN previous_token_valid_until,
      DROP COLUMN previous_token_hash,
      DROP COLUMN signing_secrets,
      DROP COLUMN verification_options`);
  }
}
