/*
 * test_jw.c: JSON string escaping (lib/strbuf.c sb_json_str(), lib/jw.c
 * jw_strn()), which skips plain runs eight bytes at a time
 * (json_plain_len()).  Every byte value at every position of a word, and
 * random strings mixing plain, special and UTF-8 bytes, must escape
 * exactly as the byte-at-a-time rule json_escape() says: a special byte
 * missed by the word test would put a raw quote or control byte in a
 * report.
 */
#include "testutil.h"

#include "lib/jw.h"

/* The reference: json_escape() on each byte, with the quotes. */
static void
escape_ref(struct strbuf *sb, const char *s, size_t n)
{
	char esc[6];
	size_t i, k;

	sb_addc(sb, '"');
	for (i = 0; i < n; i++) {
		if ((k = json_escape((unsigned char)s[i], esc)) == 0)
			sb_addc(sb, s[i]);
		else
			sb_add(sb, esc, k);
	}
	sb_addc(sb, '"');
}

/* The first byte needing an escape, or n. */
static size_t
plain_ref(const char *s, size_t n)
{
	char esc[6];
	size_t i;

	for (i = 0; i < n; i++)
		if (json_escape((unsigned char)s[i], esc) != 0)
			break;
	return i;
}

/* Both writers against the reference on s. */
static void
assert_escapes(const char *s, size_t n)
{
	struct strbuf want, got, viajw;
	struct jw w;

	sb_init(&want);
	sb_init(&got);
	sb_init(&viajw);
	escape_ref(&want, s, n);
	assert_int_equal(sb_json_str(&got, s, n), 0);
	jw_init_sb(&w, &viajw);
	jw_strn(&w, s, n);
	assert_int_equal(jw_finish(&w), 0);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.s, want.s, want.len);
	assert_int_equal(viajw.len, want.len);
	assert_memory_equal(viajw.s, want.s, want.len);
	sb_free(&want);
	sb_free(&got);
	sb_free(&viajw);
}

/*
 * Every byte value at every position 0..19 of a run of plain bytes
 * (ASCII 'a', and the UTF-8 bytes of U+00E9, whose high bit the word
 * test must not take for a special byte), in strings ending there and
 * going on past the next word.
 */
static void
test_every_byte_every_position(void **state)
{
	static const char fills[][2] = { { 'a', 'a' }, { '\xc3', '\xa9' } };
	char buf[40];
	size_t f, pos, len, i;
	unsigned b;

	(void)state;
	for (f = 0; f < 2; f++)
		for (b = 0; b < 256; b++)
			for (pos = 0; pos < 20; pos++)
				for (len = pos + 1; len <= 36; len += 7) {
					for (i = 0; i < len; i++)
						buf[i] = fills[f][i & 1];
					buf[pos] = (char)b;
					assert_int_equal(
					    json_plain_len(buf, len),
					    plain_ref(buf, len));
					assert_escapes(buf, len);
				}
}

/* Random strings of 0..80 bytes, one byte in four special. */
static void
test_random_strings(void **state)
{
	static const char special[] = "\"\\\n\r\t\x01\x1f\x7f";
	uint32_t x = 2463534242u;
	char buf[80];
	size_t n, i, k;

	(void)state;
	for (k = 0; k < 20000; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		n = x % sizeof(buf);
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (x & 3) == 0 ? special[(x >> 2) % 8]
					      : (char)(0x20 + (x >> 2) % 0xe0);
		}
		assert_int_equal(json_plain_len(buf, n), plain_ref(buf, n));
		assert_escapes(buf, n);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_every_position),
		cmocka_unit_test(test_random_strings),
	};

	RUN_TESTS("jw", tests, argc, argv);
}
