/* scenario_lines.c: index from scenario field paths to source lines.
 *
 * Lua tables do not remember where their fields were written, so the index
 * is built from the text alone: a Lua 5.4 lexer (lexical rules of the Lua
 * 5.4 reference manual, section 3.1) produces tokens, and a walker follows
 * table constructors, recording "path -> line" for every field. Nothing is
 * evaluated; malformed input ends the index where the lexer or walker lost
 * track, it never fails the build.
 */
#include "sim/app.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    TK_EOF = 0, /* single-character tokens use their ASCII code */
    TK_NAME = 256,
    TK_STRING,
    TK_NUMBER,
    TK_OP2, /* multi-character operator: == ~= <= >= // .. ... << >> :: */
    TK_RETURN,
    TK_FUNCTION,
    TK_END,
    TK_IF,
    TK_DO,
    TK_REPEAT,
    TK_UNTIL,
    TK_KEYWORD, /* any other reserved word */
};

/* Nested constructors deeper than this are skipped (not indexed) so that
 * hostile input cannot exhaust the C stack through recursion. */
#define SL_MAX_DEPTH 200
/* Bounds on the index's cost, whatever the text: paths longer than any
 * field's are not recorded (a crafted key would otherwise be copied into
 * every entry below it), and past these totals the index stops growing. */
#define SL_MAX_PATH   512
#define SL_MAX_POOL   ((size_t)32 << 20)
#define SL_MAX_TOKENS ((size_t)2 << 20)

typedef struct {
    int type, line, has_int;
    long long ival;
    size_t off, len; /* text (names) or decoded value (strings) in ctx.str */
} sl_tok;

typedef struct {
    const char *path; /* set once the pool stops moving */
    size_t off, seq;
    int line;
} sl_entry;

struct scen_lines {
    char *pool;
    size_t npool, cappool;
    sl_entry *e;
    size_t n, cap;
};

typedef struct {
    const char *s;
    size_t n, p;
    int line, oom, full; /* full: SL_MAX_TOKENS reached, the last token is EOF */
    sl_tok *tok;
    size_t ntok, captok;
    char *str; /* token text pool */
    size_t nstr, capstr;
    char *path; /* path of the field being walked */
    size_t plen, cappath;
    unsigned char *blk; /* top-level block stack: 1 = function body */
    size_t nblk, capblk;
    int fdepth; /* number of function bodies open at top level */
    scen_lines *ix;
} sl_ctx;

/* The array p with room for `need` elements (p itself when it has room);
 * NULL when out of memory, p then stays valid and c->oom is set. */
static void *sl_grow(sl_ctx *c, void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return p;
    if (c->oom) return NULL;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    void *q = realloc(p, ncap * elem);
    if (!q) {
        c->oom = 1;
        return NULL;
    }
    *cap = ncap;
    return q;
}

static void str_put(sl_ctx *c, const char *b, size_t k)
{
    char *q = sl_grow(c, c->str, &c->capstr, c->nstr + k, 1);
    if (q) {
        c->str = q;
        memcpy(c->str + c->nstr, b, k);
        c->nstr += k;
    }
}

static void str_putc(sl_ctx *c, int ch)
{
    char b = (char)ch;
    str_put(c, &b, 1);
}

static void push_tok(sl_ctx *c, int type, int line, size_t off)
{
    if (c->full) return;
    if (c->ntok + 1 >= SL_MAX_TOKENS) { /* the index ends here */
        type = TK_EOF;
        c->full = 1;
    }
    sl_tok *q = sl_grow(c, c->tok, &c->captok, c->ntok + 1, sizeof *c->tok);
    if (!q) return;
    c->tok = q;
    sl_tok *t = &c->tok[c->ntok++];
    memset(t, 0, sizeof *t);
    t->type = type;
    t->line = line;
    t->off = off;
    t->len = c->nstr - off;
}

/* ------------------------------------------------------------------ lexer */

static int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}
static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}
static int is_alnum(int ch)
{
    return is_alpha(ch) || is_digit(ch);
}
static int is_nl(int ch)
{
    return ch == '\n' || ch == '\r';
}
static int is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f' || is_nl(ch);
}

static int hexval(int ch)
{
    if (is_digit(ch)) return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static int peek(const sl_ctx *c, size_t k)
{
    return c->p + k < c->n ? (unsigned char)c->s[c->p + k] : -1;
}

/* Skips one newline. As in Lua's lexer (llex.c inclinenumber), "\n", "\r",
 * "\r\n" and "\n\r" each count as one line, so our numbers match Lua's own
 * error messages. */
static void newline(sl_ctx *c)
{
    int first = peek(c, 0);
    c->p++;
    if (is_nl(peek(c, 0)) && peek(c, 0) != first) c->p++;
    if (c->line < INT_MAX) c->line++;
}

/* At '[': level of a long bracket "[==[", or -1 when it is a plain '['. */
static int long_level(const sl_ctx *c)
{
    size_t k = 1;
    while (peek(c, k) == '=')
        k++;
    return peek(c, k) == '[' ? (int)(k - 1) : -1;
}

/* Long string or comment body; 0 when unterminated. */
static int long_string(sl_ctx *c, int level, int keep)
{
    c->p += (size_t)level + 2;
    if (is_nl(peek(c, 0))) newline(c); /* the first newline is not part of the string */
    for (;;) {
        int ch = peek(c, 0);
        if (ch < 0) return 0;
        if (ch == ']') {
            int k = 1;
            while (k <= level && peek(c, (size_t)k) == '=')
                k++;
            if (k == level + 1 && peek(c, (size_t)k) == ']') {
                c->p += (size_t)level + 2;
                return 1;
            }
        }
        if (is_nl(ch)) {
            newline(c);
            if (keep) str_putc(c, '\n');
            continue;
        }
        if (keep) str_putc(c, ch);
        c->p++;
    }
}

static void put_utf8(sl_ctx *c, unsigned long x)
{
    /* Lua 5.4 accepts \u{} values below 2^31 (the original UTF-8 scheme,
     * up to 6 bytes); lead-byte markers per RFC 2279. */
    static const unsigned char lead[7] = {0, 0, 0xC0, 0xE0, 0xF0, 0xF8, 0xFC};
    char b[6];
    int nb = x < 0x80        ? 1
             : x < 0x800     ? 2
             : x < 0x10000   ? 3
             : x < 0x200000  ? 4
             : x < 0x4000000 ? 5
                             : 6;
    for (int k = nb - 1; k > 0; k--, x >>= 6)
        b[k] = (char)(0x80 | (x & 0x3f));
    b[0] = (char)(lead[nb] | x);
    str_put(c, b, (size_t)nb);
}

/* One escape sequence (c->p is after the backslash); 0 at end of input. */
static int escape(sl_ctx *c)
{
    static const char plain[] = "abfnrtv\\\"'";
    static const char value[] = "\a\b\f\n\r\t\v\\\"'";
    int ch = peek(c, 0);
    const char *q = ch > 0 ? strchr(plain, ch) : NULL;
    if (ch < 0) return 0;
    if (q) {
        str_putc(c, value[q - plain]);
        c->p++;
    } else if (is_nl(ch)) {
        newline(c);
        str_putc(c, '\n');
    } else if (ch == 'z') { /* skips the following white space, newlines too */
        c->p++;
        while (is_space(peek(c, 0)))
            if (is_nl(peek(c, 0)))
                newline(c);
            else
                c->p++;
    } else if (ch == 'x') {
        int v = 0;
        c->p++;
        for (int k = 0; k < 2 && hexval(peek(c, 0)) >= 0; k++, c->p++)
            v = v * 16 + hexval(peek(c, 0));
        str_putc(c, v);
    } else if (ch == 'u' && peek(c, 1) == '{') {
        unsigned long v = 0;
        c->p += 2;
        for (; hexval(peek(c, 0)) >= 0; c->p++)
            if (v <= 0x7FFFFFFFul) v = v * 16 + (unsigned long)hexval(peek(c, 0));
        if (peek(c, 0) == '}') c->p++;
        put_utf8(c, v > 0x7FFFFFFFul ? 0x7FFFFFFFul : v);
    } else if (is_digit(ch)) {
        int v = 0;
        for (int k = 0; k < 3 && is_digit(peek(c, 0)); k++, c->p++)
            v = v * 10 + peek(c, 0) - '0';
        str_putc(c, v & 0xff);
    } else { /* invalid escape: Lua rejects it; keep the character */
        str_putc(c, ch);
        c->p++;
    }
    return 1;
}

/* Short string; 0 when unterminated (end of input or a raw newline). */
static int short_string(sl_ctx *c, int quote)
{
    c->p++;
    for (;;) {
        int ch = peek(c, 0);
        if (ch < 0 || is_nl(ch)) return 0;
        c->p++;
        if (ch == quote) return 1;
        if (ch == '\\') {
            if (!escape(c)) return 0;
        } else {
            str_putc(c, ch);
        }
    }
}

static void number(sl_ctx *c, int line)
{
    size_t start = c->p, off = c->nstr;
    const char *expo = "Ee";
    if (peek(c, 0) == '0' && (peek(c, 1) == 'x' || peek(c, 1) == 'X')) {
        c->p += 2;
        expo = "Pp";
    }
    for (;;) { /* same acceptance loop as Lua's read_numeral */
        int ch = peek(c, 0);
        if (ch == expo[0] || ch == expo[1]) {
            c->p++;
            if (peek(c, 0) == '+' || peek(c, 0) == '-') c->p++;
        } else if (hexval(ch) >= 0 || ch == '.') {
            c->p++;
        } else {
            break;
        }
    }
    while (is_alnum(peek(c, 0))) /* malformed ("3x"): one token, not two */
        c->p++;
    push_tok(c, TK_NUMBER, line, off);
    char buf[64], *end;
    size_t k = c->p - start;
    if (c->oom || k >= sizeof buf) return;
    memcpy(buf, c->s + start, k);
    buf[k] = '\0';
    double v = strtod(buf, &end);
    /* integral floats index like integers in Lua (t[3.0] is t[3]) */
    if (*end == '\0' && isfinite(v) && v == floor(v) && fabs(v) < 9007199254740992.0) {
        c->tok[c->ntok - 1].has_int = 1;
        c->tok[c->ntok - 1].ival = (long long)v;
    }
}

static int keyword(const char *w, size_t k)
{
    static const char *const kw[] = {"and", "break", "else", "elseif", "false",
                                     "for", "goto",  "in",   "local",  "nil",
                                     "not", "or",    "then", "true",   "while"};
    static const struct {
        const char *w;
        int t;
    } blk[] = {{"return", TK_RETURN}, {"function", TK_FUNCTION}, {"end", TK_END},    {"if", TK_IF},
               {"do", TK_DO},         {"repeat", TK_REPEAT},     {"until", TK_UNTIL}};
    for (size_t i = 0; i < sizeof blk / sizeof blk[0]; i++)
        if (strlen(blk[i].w) == k && !memcmp(blk[i].w, w, k)) return blk[i].t;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i]) == k && !memcmp(kw[i], w, k)) return TK_KEYWORD;
    return TK_NAME;
}

static void lex(sl_ctx *c)
{
    static const char *const ops[] = {"...", "..", "==", "~=", "<=", ">=", "//", "<<", ">>", "::"};
    if (peek(c, 0) == 0xEF && peek(c, 1) == 0xBB && peek(c, 2) == 0xBF)
        c->p += 3;         /* luaL_loadfile skips a UTF-8 byte order mark... */
    if (peek(c, 0) == '#') /* ...and a first line starting with '#' ("#!") */
        while (peek(c, 0) >= 0 && !is_nl(peek(c, 0)))
            c->p++;
    while (!c->oom) {
        int ch = peek(c, 0), line = c->line, lvl;
        size_t off = c->nstr;
        if (ch < 0) break;
        if (is_nl(ch)) {
            newline(c);
        } else if (is_space(ch)) {
            c->p++;
        } else if (ch == '-' && peek(c, 1) == '-') {
            c->p += 2;
            if (peek(c, 0) == '[' && (lvl = long_level(c)) >= 0) {
                if (!long_string(c, lvl, 0)) break;
            } else {
                while (peek(c, 0) >= 0 && !is_nl(peek(c, 0)))
                    c->p++;
            }
        } else if (ch == '[' && (lvl = long_level(c)) >= 0) {
            if (!long_string(c, lvl, 1)) break;
            push_tok(c, TK_STRING, line, off);
        } else if (ch == '"' || ch == '\'') {
            if (!short_string(c, ch)) break;
            push_tok(c, TK_STRING, line, off);
        } else if (is_digit(ch) || (ch == '.' && is_digit(peek(c, 1)))) {
            number(c, line);
        } else if (is_alpha(ch)) {
            size_t start = c->p;
            while (is_alnum(peek(c, 0)))
                c->p++;
            str_put(c, c->s + start, c->p - start);
            push_tok(c, keyword(c->s + start, c->p - start), line, off);
        } else if (ch > 0 && ch < 128 && strchr("+-*/%^#&~|<>=(){}[];:,.", ch)) {
            int type = ch;
            size_t k = 1;
            for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
                size_t m = strlen(ops[i]);
                if (c->p + m <= c->n && !memcmp(c->s + c->p, ops[i], m)) {
                    type = TK_OP2;
                    k = m;
                    break;
                }
            }
            c->p += k;
            push_tok(c, type, line, off);
        } else {
            c->p++; /* stray byte: Lua rejects it; skipping keeps us in sync */
        }
    }
    push_tok(c, TK_EOF, c->line, c->nstr);
}

/* ---------------------------------------------------------------- walker */

static void path_put(sl_ctx *c, const char *b, size_t k)
{
    char *q = sl_grow(c, c->path, &c->cappath, c->plen + k + 1, 1);
    if (q) {
        c->path = q;
        memcpy(c->path + c->plen, b, k);
        c->plen += k;
        c->path[c->plen] = '\0';
    }
}

static void path_puts(sl_ctx *c, const char *s)
{
    path_put(c, s, strlen(s));
}

static void record(sl_ctx *c, int line)
{
    scen_lines *ix = c->ix;
    if (c->plen > SL_MAX_PATH || ix->npool + c->plen + 1 > SL_MAX_POOL) return;
    sl_entry *e = sl_grow(c, ix->e, &ix->cap, ix->n + 1, sizeof *ix->e);
    if (e) ix->e = e;
    char *pool = sl_grow(c, ix->pool, &ix->cappool, ix->npool + c->plen + 1, 1);
    if (pool) ix->pool = pool;
    if (!e || !pool) return;
    ix->e[ix->n] = (sl_entry){.path = NULL, .off = ix->npool, .seq = ix->n, .line = line};
    ix->n++;
    memcpy(ix->pool + ix->npool, c->path, c->plen);
    ix->npool += c->plen;
    ix->pool[ix->npool++] = '\0';
}

static const char *tok_text(const sl_ctx *c, const sl_tok *t)
{
    return c->str ? c->str + t->off : ""; /* no text stored yet */
}

static void key_name(sl_ctx *c, const sl_tok *t)
{
    if (c->plen > 0) path_puts(c, ".");
    path_put(c, tok_text(c, t), t->len);
}

static size_t skip_braces(const sl_ctx *c, size_t i)
{
    size_t depth = 0;
    for (; c->tok[i].type != TK_EOF; i++) {
        if (c->tok[i].type == '{')
            depth++;
        else if (c->tok[i].type == '}' && --depth == 0)
            return i + 1;
    }
    return i;
}

static int opens_block(int t)
{
    return t == TK_FUNCTION || t == TK_IF || t == TK_DO || t == TK_REPEAT;
}

/* Skips "function ... end" (every while/for has exactly one 'do', so
 * counting function/if/do/repeat against end/until balances). Stops before
 * a '}' that would close an enclosing constructor: malformed body. */
static size_t skip_function(const sl_ctx *c, size_t i)
{
    long depth = 0, braces = 0;
    for (; c->tok[i].type != TK_EOF; i++) {
        int t = c->tok[i].type;
        if (opens_block(t))
            depth++;
        else if ((t == TK_END || t == TK_UNTIL) && --depth == 0)
            return i + 1;
        else if (t == '{')
            braces++;
        else if (t == '}' && braces-- == 0)
            return i;
    }
    return i;
}

/* Skips "[ expr ]"; returns the index after ']' (or at a stray '}'). */
static size_t skip_key(const sl_ctx *c, size_t i)
{
    long level = 0, braces = 0;
    for (; c->tok[i].type != TK_EOF; i++) {
        int t = c->tok[i].type;
        if (t == '[' || t == '(')
            level++;
        else if (t == '{')
            braces++;
        else if (t == '}' && braces-- == 0)
            return i;
        else if ((t == ']' || t == ')') && --level == 0)
            return i + 1;
    }
    return i;
}

static size_t walk_table(sl_ctx *c, size_t i, int depth);

/* Skips one field value up to its separator or the closing '}'. Tables in
 * the value (k = {...}, k = f {...}, k = f(x, {...})) belong to the field. */
static size_t walk_value(sl_ctx *c, size_t i, int depth)
{
    long level = 0; /* open '(' and '[' */
    for (;;) {
        int t = c->tok[i].type;
        if (t == TK_EOF || t == '}' || ((t == ',' || t == ';') && level == 0)) return i;
        if (t == '{') {
            i = walk_table(c, i, depth + 1);
        } else if (t == TK_FUNCTION) {
            i = skip_function(c, i);
        } else {
            if (t == '(' || t == '[')
                level++;
            else if ((t == ')' || t == ']') && level > 0)
                level--;
            i++;
        }
    }
}

/* Walks the constructor at tok[i] == '{' whose path is c->path. */
static size_t walk_table(sl_ctx *c, size_t i, int depth)
{
    long pos = 0;
    if (depth > SL_MAX_DEPTH) return skip_braces(c, i);
    for (i++;;) {
        const sl_tok *t = &c->tok[i];
        size_t save = c->plen, v;
        char buf[32];
        if (t->type == TK_EOF) return i;
        if (t->type == '}') return i + 1;
        if (t->type == ',' || t->type == ';') {
            i++;
            continue;
        }
        if (t->type == TK_NAME && t[1].type == '=') {
            key_name(c, t);
            record(c, t->line);
            v = i + 2;
        } else if (t->type == '[') {
            v = skip_key(c, i);
            const sl_tok *k = &t[1];
            if (v == i + 3 && k->type == TK_STRING) {
                size_t j = 0;
                while (j < k->len && is_alnum((unsigned char)tok_text(c, k)[j]))
                    j++;
                if (k->len > 0 && j == k->len) {
                    key_name(c, k);
                } else { /* keeps keys like "cell.wus.enabled" one component */
                    path_puts(c, "[\"");
                    path_put(c, tok_text(c, k), k->len);
                    path_puts(c, "\"]");
                }
                record(c, t->line);
            } else if (v == i + 3 && k->type == TK_NUMBER && k->has_int) {
                snprintf(buf, sizeof buf, "[%lld]", k->ival);
                path_puts(c, buf);
                record(c, t->line);
            } else {
                path_puts(c, "[?]"); /* computed key: walk its value unrecorded */
            }
            if (c->tok[v].type == '=') v++;
        } else {
            snprintf(buf, sizeof buf, "[%ld]", ++pos);
            path_puts(c, buf);
            record(c, t->line);
            v = i;
        }
        i = walk_value(c, v, depth);
        c->plen = save;
        if (c->path) c->path[save] = '\0';
    }
}

/* Start of the name chain "a.b:c" that ends at tok[j], or j + 1 if none. */
static size_t chain_start(const sl_ctx *c, size_t j)
{
    if (c->tok[j].type != TK_NAME) return j + 1;
    while (j >= 2 && (c->tok[j - 1].type == '.' || c->tok[j - 1].type == ':') &&
           c->tok[j - 2].type == TK_NAME)
        j -= 2;
    return j;
}

/* A top-level constructor at tok[i]: the scenario root when it follows
 * "return", "return f", "return f(" (outside function bodies); otherwise a
 * pseudo root "@name" that no real path can match. */
static size_t top_table(sl_ctx *c, size_t i)
{
    size_t j = i, s;
    c->plen = 0;
    if (j > 0 && c->tok[j - 1].type == '(') j--;
    s = j > 0 ? chain_start(c, j - 1) : 0; /* s == j: no call chain */
    if (s > 0 && c->tok[s - 1].type == TK_RETURN && c->fdepth == 0) {
        if (c->path) c->path[0] = '\0';
    } else {
        path_puts(c, "@");
        if (s > 1 && c->tok[s - 1].type == '=') {
            for (size_t k = chain_start(c, s - 2); k < s - 1; k++)
                if (c->tok[k].type == TK_NAME)
                    path_put(c, tok_text(c, &c->tok[k]), c->tok[k].len);
                else
                    path_puts(c, ".");
        }
    }
    return walk_table(c, i, 0);
}

static void walk_top(sl_ctx *c)
{
    size_t i = 0;
    while (c->tok[i].type != TK_EOF && !c->oom) {
        int t = c->tok[i].type;
        if (t == '{') {
            i = top_table(c, i); /* always > i */
            continue;
        }
        if (opens_block(t)) {
            unsigned char *b = sl_grow(c, c->blk, &c->capblk, c->nblk + 1, 1);
            if (b) {
                c->blk = b;
                c->blk[c->nblk++] = t == TK_FUNCTION;
            }
            c->fdepth += t == TK_FUNCTION;
        } else if ((t == TK_END || t == TK_UNTIL) && c->nblk > 0) {
            c->fdepth -= c->blk[--c->nblk];
        }
        i++;
    }
}

static int entry_cmp(const void *a, const void *b)
{
    const sl_entry *x = a, *y = b;
    int r = strcmp(x->path, y->path);
    return r ? r : (x->seq > y->seq) - (x->seq < y->seq);
}

scen_lines *scen_lines_build(const char *src, size_t len)
{
    sl_ctx c = {.s = src ? src : "", .n = src ? len : 0, .line = 1};
    c.ix = calloc(1, sizeof *c.ix);
    if (!c.ix) return NULL;
    lex(&c);
    if (!c.oom) walk_top(&c);
    scen_lines *ix = c.ix;
    free(c.tok);
    free(c.str);
    free(c.path);
    free(c.blk);
    if (c.oom) {
        scen_lines_free(ix);
        return NULL;
    }
    for (size_t k = 0; k < ix->n; k++)
        ix->e[k].path = ix->pool + ix->e[k].off;
    if (ix->n > 1) qsort(ix->e, ix->n, sizeof *ix->e, entry_cmp);
    size_t m = 0; /* a repeated path keeps its first line */
    for (size_t k = 0; k < ix->n; k++)
        if (m == 0 || strcmp(ix->e[m - 1].path, ix->e[k].path) != 0) ix->e[m++] = ix->e[k];
    ix->n = m;
    return ix;
}

void scen_lines_free(scen_lines *ix)
{
    if (!ix) return;
    free(ix->pool);
    free(ix->e);
    free(ix);
}

/* Compares a NUL-terminated entry path with the prefix p[0..k). */
static int prefix_cmp(const char *e, const char *p, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        if (e[i] == '\0') return -1;
        if (e[i] != p[i]) return (unsigned char)e[i] - (unsigned char)p[i];
    }
    return e[k] != '\0';
}

static int lookup(const scen_lines *ix, const char *p, size_t k)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = prefix_cmp(ix->e[mid].path, p, k);
        if (r == 0) return ix->e[mid].line;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int scen_lines_find(const scen_lines *ix, const char *path)
{
    int best = 0;
    size_t j = 0, n;
    if (!ix || !path) return 0;
    n = strlen(path);
    /* every component end is a candidate; the last that matches wins */
    while (j < n) {
        if (path[j] == '[' && path[j + 1] == '"') {
            const char *q = strstr(path + j + 2, "\"]");
            j = q ? (size_t)(q - path) + 2 : n;
        } else if (path[j] == '[') {
            const char *q = strchr(path + j, ']');
            j = q ? (size_t)(q - path) + 1 : n;
        } else {
            j++; /* a leading '.' or the first character of the first name */
            while (j < n && path[j] != '.' && path[j] != '[')
                j++;
        }
        int line = lookup(ix, path, j);
        if (line) best = line;
    }
    return best;
}

int scen_lines_first_under(const scen_lines *ix, const char *prefix)
{
    if (!ix || !prefix) return 0;
    const size_t k = strlen(prefix);
    size_t lo = 0, hi = ix->n;
    while (lo < hi) { /* the first entry not below the prefix */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->e[mid].path, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int best = 0;
    for (size_t i = lo; i < ix->n && strncmp(ix->e[i].path, prefix, k) == 0; i++) {
        const char c = ix->e[i].path[k];
        if ((c == '.' || c == '[' || c == '\0') && (best == 0 || ix->e[i].line < best))
            best = ix->e[i].line;
    }
    return best;
}
