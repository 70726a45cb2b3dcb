/* link.c: link abstraction (attenuated Shannon need, repetition gain,
 * logistic BLER), TBS tables and NPUSCH/NPDSCH/NPDCCH link adaptation.
 *
 * Modelling choices (documented defaults, see phy.h for the parameters;
 * the per-channel offsets and repetition losses come from phy/calib.c):
 * - A transport block needs 10 log10(2^(eta/alpha) - 1) + offset dB with
 *   eta = (TBS + 24-bit CRC) / data REs (TS 36.212 6.3 adds a 24-bit CRC to
 *   NB-IoT transport blocks); eta above the Shannon cap cannot be carried.
 * - Data REs: NPUSCH format 1 has 6 data SC-FDMA symbols per 7-symbol slot
 *   (one DMRS symbol, TS 36.211 10.1.4.2), so a single-tone RU carries
 *   1 x 16 x 6 = 96 REs and a 3/6/12-tone RU tones x slots x 6 = 144 REs.
 *   NPDSCH and NPDCCH carry 168 - 16 = 152 REs per subframe in standalone
 *   operation (12 x 14 REs minus the NRS of two antenna ports, 8 each;
 *   in-band would also lose the LTE control region and CRS).
 * - Repetitions add 10 log10(R) - loss x log2(R) dB to the SNR, the loss
 *   per doubling being the channel's.
 * - DCI N0/N1 carry 23 bits (TS 36.212 6.4.3) plus a 16-bit CRC, coded over
 *   one NPDCCH subframe (152 REs) and repeated R times: the repetitions add
 *   the repetition gain, like NPDSCH repetitions, rather than a lower code
 *   rate (which would count the same energy twice).
 * - LTE-M (Cat-M1) uses the same need, repetition gain and BLER: a PUSCH or
 *   PDSCH transport block (24-bit CRC, TS 36.212 5.3.2) spans n_prb x 144
 *   (UL) or n_prb x 120 (DL) REs of one subframe and is repeated; an MPDCCH
 *   DCI (29 + 16 bits) spans the 6 PRBs of the narrowband. The MPDCCH DMRS
 *   (up to 24 REs per PRB) is not subtracted: the MPDCCH need is up to ~1 dB
 *   optimistic.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phy/phy.h"

#define PHY_10LOG10_2 3.0102999566398120 /* 10 log10(2) */
#define PHY_CRC_TB    24                 /* transport block CRC */
#define PHY_DCI_BITS  (23 + 16)          /* DCI N0/N1 payload + CRC */
#define PHY_DL_RES    152                /* NPDSCH/NPDCCH REs per subframe */

/* ------------------------------------------------------------ TBS tables */

const int phy_n_ru_values[8] = {1, 2, 3, 4, 5, 6, 8, 10};

/* TS 36.213 Table 16.5.1.2-2 (NPUSCH), columns I_RU 0..7. */
static const uint16_t npusch_tbs[13][8] = {
    {16, 32, 56, 88, 120, 152, 208, 256},     {24, 56, 88, 144, 176, 208, 256, 344},
    {32, 72, 144, 176, 208, 256, 328, 424},   {40, 104, 176, 208, 256, 328, 440, 568},
    {56, 120, 208, 256, 328, 408, 552, 680},  {72, 144, 224, 328, 424, 504, 680, 872},
    {88, 176, 256, 392, 504, 600, 808, 1000}, {104, 224, 328, 472, 584, 712, 1000, 0},
    {120, 256, 392, 536, 680, 808, 0, 0},     {136, 296, 456, 616, 776, 936, 0, 0},
    {144, 328, 504, 680, 872, 1000, 0, 0},    {176, 376, 584, 776, 1000, 0, 0, 0},
    {208, 440, 680, 1000, 0, 0, 0, 0},
};

/* TS 36.213 Table 16.4.1.5.1-1 (NPDSCH), Rel-13 (Cat-NB1, at most 680 bits),
 * columns I_SF 0..7, as in srsRAN tbs_tables_nbiot.h (v13.2.0). It is not
 * the NPUSCH table cut at 680: entry (I_TBS 7, N_SF 6) is 680, not 712 (the
 * Rel-14 table in OAI, 36.213 v14.2, has the same 680 there). */
static const uint16_t npdsch_tbs[13][8] = {
    {16, 32, 56, 88, 120, 152, 208, 256},    {24, 56, 88, 144, 176, 208, 256, 344},
    {32, 72, 144, 176, 208, 256, 328, 424},  {40, 104, 176, 208, 256, 328, 440, 568},
    {56, 120, 208, 256, 328, 408, 552, 680}, {72, 144, 224, 328, 424, 504, 680, 0},
    {88, 176, 256, 392, 504, 600, 0, 0},     {104, 224, 328, 472, 584, 680, 0, 0},
    {120, 256, 392, 536, 680, 0, 0, 0},      {136, 296, 456, 616, 0, 0, 0, 0},
    {144, 328, 504, 680, 0, 0, 0, 0},        {176, 376, 584, 0, 0, 0, 0, 0},
    {208, 440, 680, 0, 0, 0, 0, 0},
};

int phy_npusch_tbs(int i_tbs, int n_ru_idx)
{
    if (i_tbs < 0 || i_tbs > 12 || n_ru_idx < 0 || n_ru_idx > 7) return 0;
    return npusch_tbs[i_tbs][n_ru_idx];
}

int phy_npdsch_tbs(int i_tbs, int n_sf_idx)
{
    if (i_tbs < 0 || i_tbs > 12 || n_sf_idx < 0 || n_sf_idx > 7) return 0;
    return npdsch_tbs[i_tbs][n_sf_idx];
}

/* Smallest I_TBS <= max_itbs whose TBS in column col holds `bits`, or -1.
 * A larger I_TBS in the same column only adds bits to the same REs, so it
 * never needs less SNR. */
static int min_itbs(const uint16_t (*tab)[8], int col, int max_itbs, int bits)
{
    /* The table is increasing down a column until its zeros, so "zero or
     * enough" is false then true: the first true by bisection. */
    int lo = 0, hi = max_itbs + 1;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (tab[mid][col] == 0 || tab[mid][col] >= bits)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo <= max_itbs && tab[lo][col] != 0 ? lo : -1;
}

/* The Shannon term 10 log10(2^(eta/alpha) - 1) of every table entry at the
 * default alpha = 0.6, eta = (TBS + 24) / REs with 96 REs per single-tone RU
 * (need_ul1), 144 per multi-tone RU (need_ulm) and 152 per NPDSCH subframe
 * (need_dl); 0 where the TBS is not allowed. Generated offline with the very
 * expression of phy_required_snr_db (printed to 17 digits, so the values are
 * the same doubles): the selections below then need no exp2/log10 per
 * candidate and agree bit for bit with phy_required_snr_db. */
#define PHY_TABLE_ALPHA 0.6
static const double need_ul1[13][8] = {
    {-2.088280424708636, -3.9721947074649759, -4.2208357262596312, -3.9721947074649759,
     -3.8277568533786299, -3.7333201729831886, -3.7921732194604321, -3.9721947074649759},
    {-1.0690575806721505, -2.088280424708636, -2.462980094063874, -1.81984505850463,
     -2.088280424708636, -2.2730927967072661, -2.8086486958638068, -2.5404388162507368},
    {-0.16888056333052859, -1.0690575806721505, -0.16888056333052859, -0.83440117097051858,
     -1.2620367012036438, -1.2295334417033852, -1.5610618362347048, -1.4600508173855233},
    {0.64502718425660022, 0.64502718425660022, 0.90103586095118282, 0.04170957746442748,
     -0.16888056333052859, 0.11078608739842845, 0.04170957746442748, 0.16565923716183184},
    {2.0918491924284863, 1.3937974788522836, 1.8641002604565406, 1.2118376480073216,
     1.2484907132372283, 1.3937974788522836, 1.3937974788522836, 1.2484907132372283},
    {3.3741974447291687, 2.4251839490363949, 2.3151259784810581, 2.7494569489179832,
     2.87682838874992, 2.7494569489179832, 2.7494569489179832, 2.87682838874992},
    {4.5467649599104343, 3.6760927431066683, 3.1692172107604484, 3.9718149076253773,
     4.0884939428176876, 3.9718149076253773, 3.9718149076253773, 3.8542321142653146},
    {5.6420622115851149, 5.3742006832901623, 4.919242224803412, 5.3742006832901623,
     5.2116934073736694, 5.2840902896543884, 5.6420622115851149, 0},
    {6.680926455703208, 6.4256441502411645, 6.3399343075233325, 6.4256441502411645,
     6.4769195271169524, 6.3399343075233325, 0, 0},
    {7.6774579858566998, 7.6774579858566998, 7.6774579858566998, 7.6774579858566998,
     7.6774579858566998, 7.6774579858566998, 0, 0},
    {8.1630723490906014, 8.6415933860470791, 8.6415933860470791, 8.6415933860470791,
     8.8312052450224581, 8.3233240466338145, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0},
};
static const double need_ulm[13][8] = {
    {-4.2208357262596312, -5.9883953731262727, -6.2243642095466347, -5.9883953731262727,
     -5.8515854742088713, -5.7622443609475305, -5.8179117159378793, -5.9883953731262727},
    {-3.2814754870546925, -4.2208357262596312, -4.5693211316739673, -3.9721947074649759,
     -4.2208357262596312, -4.3925154859679409, -4.8922196280214409, -4.6415614742997597},
    {-2.462980094063874, -3.2814754870546925, -2.462980094063874, -3.067069523166039,
     -3.4583361040065279, -3.4285142035326617, -3.7333201729831886, -3.6403045990481169},
    {-1.7325573454493779, -1.7325573454493779, -1.5047747293086027, -2.2730927967072661,
     -2.462980094063874, -2.2109422380753876, -2.2730927967072661, -2.1616188390746665},
    {-0.45804197020024651, -1.0690575806721505, -0.65658400915244264, -1.2295334417033852,
     -1.1971683261125041, -1.0690575806721505, -1.0690575806721505, -1.1971683261125041},
    {0.64502718425660022, -0.16888056333052859, -0.26416582582786274, 0.11078608739842845,
     0.2201944262231503, 0.11078608739842845, 0.11078608739842845, 0.2201944262231503},
    {1.631541317499134, 0.90103586095118282, 0.47040294364291385, 1.1504512534362197,
     1.2484907132372283, 1.1504512534362197, 1.1504512534362197, 1.0514413666443549},
    {2.5342361635942972, 2.3151259784810581, 1.9405336189060618, 2.3151259784810581,
     2.1816787756699756, 2.24117780881337, 2.5342361635942972, 0},
    {3.3741974447291687, 3.1692172107604484, 3.1001901756726173, 3.1692172107604484,
     3.2104625504758424, 3.1001901756726173, 0, 0},
    {4.1657930630839672, 4.1657930630839672, 4.1657930630839672, 4.1657930630839672,
     4.1657930630839672, 4.1657930630839672, 0, 0},
    {4.5467649599104343, 4.919242224803412, 4.919242224803412, 4.919242224803412,
     5.0660524823586428, 4.6718226169875452, 0, 0},
    {5.9938169925231177, 5.9938169925231177, 6.1097892330298977, 5.9938169925231177,
     6.2021297038802636, 0, 0, 0},
    {7.3493045349861097, 7.3493045349861097, 7.4591059063771574, 8.3233240466338145, 0, 0, 0, 0},
};
static const double need_dl[13][8] = {
    {-4.4942286780931253, -6.2498140736754024, -6.4844735291563609, -6.2498140736754024,
     -6.1137918309453791, -6.0249766663938198, -6.0803152242699916, -6.2498140736754024},
    {-3.5630405099662878, -4.4942286780931253, -4.8400236530120742, -4.2476165161770414,
     -4.4942286780931253, -4.6645611197135146, -5.1605818303312283, -4.9117279288505298},
    {-2.752867839017755, -3.5630405099662878, -2.752867839017755, -3.3507011308585035,
     -3.7382546382616337, -3.7087067338261037, -4.0107802858393455, -3.9185826765946907},
    {-2.0309177025191723, -2.0309177025191723, -1.8059924517239134, -2.5650846746825744,
     -2.752867839017755, -2.5036375734201775, -2.5650846746825744, -2.4548776884425116},
    {-0.77379362363709081, -1.3760395676613268, -0.96939605691703101, -1.5343461026182239,
     -1.5024141112456502, -1.3760395676613268, -1.3760395676613268, -1.5024141112456502},
    {0.31129654228928355, -0.48907222788194732, -0.58287341344413424, -0.21388218138624779,
     -0.10627469647102367, -0.21388218138624779, -0.21388218138624779, 0},
    {1.2792539178926929, 0.56271977292220199, 0.13970921036611789, 0.80751377178991446,
     0.9036946481734599, 0.80751377178991446, 0, 0},
    {2.1628257086034992, 1.9485486954648132, 1.5819341805965177, 1.9485486954648132,
     1.8179847034470318, 1.5819341805965177, 0, 0},
    {2.9831105378590954, 2.7831005420872406, 2.7157227232304226, 2.7831005420872406,
     2.8233545416621535, 0, 0, 0},
    {3.7544905091716108, 3.7544905091716108, 3.7544905091716108, 3.7544905091716108, 0, 0, 0, 0},
    {4.125157143703218, 4.4872001913850204, 4.4872001913850204, 4.4872001913850204, 0, 0, 0, 0},
    {5.5297196242780142, 5.5297196242780142, 5.6420622115851149, 0, 0, 0, 0, 0},
    {6.8407930340366194, 6.8407930340366194, 6.9468109346299993, 0, 0, 0, 0, 0},
};

/* -------------------------------------------------------- link abstraction */

/* Repetition gain per doubling on channel ch. */
static double rep_step(const phy_link_cfg *c, phy_chan ch)
{
    return PHY_10LOG10_2 - c->cal[ch].rep_loss_db;
}

double phy_rep_snr_db(const phy_link_cfg *c, phy_chan ch, double snr_db, int reps)
{
    /* 10 log10(R) - loss log2(R) = log2(R) (10 log10 2 - loss); log2 is
     * exact for powers of two, which the selection below relies on. */
    if (reps <= 1) return snr_db;
    return snr_db + log2((double)reps) * rep_step(c, ch);
}

/* The channel's offset net of its two-port diversity gain (the model's
 * downlink has two NRS ports, PHY_DL_RES). */
static double chan_offset(const phy_link_cfg *c, phy_chan ch)
{
    return c->cal[ch].offset_db - c->cal[ch].div_db;
}

/* ------------------------------------------------------------------ memo */

/* The Shannon terms below are pure functions of a few doubles; a selection
 * asks for the same few hundred values again and again (a block's need and
 * efficiency per allocation and repetition count). The memo keeps them
 * under their exact inputs (bit patterns, the configuration's alpha and
 * channel offset among them), so a hit returns the very double the
 * arithmetic gives and results do not depend on it; a collision only
 * recomputes. */
#define PHY_MEMO_N 4096 /* a power of two */
enum { MEMO_SHANNON = 1, MEMO_ETA = 2 };

typedef struct memo_entry {
    uint64_t k[3];
    uint32_t op;
    double v;
} memo_entry;

struct phy_memo {
    memo_entry e[PHY_MEMO_N];
};

phy_memo *phy_memo_new(void)
{
    return calloc(1, sizeof(phy_memo)); /* op 0: empty */
}

void phy_memo_free(phy_memo *m)
{
    free(m);
}

size_t phy_memo_bytes(void)
{
    return sizeof(phy_memo);
}

static uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* The entry for (op, a, b, c) and whether it holds that key. */
static memo_entry *memo_at(phy_memo *m, uint32_t op, double a, double b, double c, int *hit)
{
    const uint64_t k0 = dbits(a), k1 = dbits(b), k2 = dbits(c);
    uint64_t h =
        k0 * 0x9E3779B97F4A7C15ull ^ k1 * 0xC2B2AE3D27D4EB4Full ^ k2 * 0x165667B19E3779F9ull ^ op;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    memo_entry *e = &m->e[h >> (64 - 12)];
    *hit = e->op == op && e->k[0] == k0 && e->k[1] == k1 && e->k[2] == k2;
    if (!*hit) *e = (memo_entry){.k = {k0, k1, k2}, .op = op};
    return e;
}

/* 10 log10(2^(x / alpha) - 1) + off: the attenuated-Shannon need of
 * efficiency x (phy_required_snr_db; over reps repetitions x = eta / reps). */
static double shannon_db(const phy_link_cfg *c, double x, double off)
{
    int hit = 0;
    memo_entry *e = c->memo ? memo_at(c->memo, MEMO_SHANNON, x, c->shannon_alpha, off, &hit) : NULL;
    if (hit) return e->v;
    const double v = 10.0 * log10(exp2(x / c->shannon_alpha) - 1.0) + off;
    if (e) e->v = v;
    return v;
}

double phy_required_snr_db(const phy_link_cfg *c, phy_chan ch, double bits, double res)
{
    if (!(res > 0.0)) return INFINITY;
    double eta = bits / res;
    if (eta > c->shannon_max_bps_hz) return INFINITY; /* beyond the cap: never decodable */
    return shannon_db(c, eta, chan_offset(c, ch));
}

/* The block's spectral efficiency from its need (the first half of
 * phy_eff_snr_db, the same for every repetition count). */
static double need_eta(const phy_link_cfg *c, phy_chan ch, double req_db)
{
    const double off = chan_offset(c, ch);
    int hit = 0;
    memo_entry *e =
        c->memo ? memo_at(c->memo, MEMO_ETA, req_db, c->shannon_alpha, off, &hit) : NULL;
    if (hit) return e->v;
    double x = pow(10.0, (req_db - off) / 10.0);
    const double v = c->shannon_alpha * log2(1.0 + x);
    if (e) e->v = v;
    return v;
}

/* phy_eff_snr_db with the block's efficiency eta = need_eta(req_db) given:
 * the same arithmetic, so the same result. */
static double eff_snr_eta(const phy_link_cfg *c, phy_chan ch, double snr_db, int reps,
                          double req_db, double eta)
{
    if (!c->cal[ch].ir) return phy_rep_snr_db(c, ch, snr_db, reps);
    if (reps <= 1 || !(req_db < INFINITY)) return snr_db;
    /* the need over reps times the REs */
    double need_r = shannon_db(c, eta / reps, chan_offset(c, ch));
    return snr_db + req_db - need_r;
}

double phy_eff_snr_db(const phy_link_cfg *c, phy_chan ch, double snr_db, int reps, double req_db)
{
    const int ir = c->cal[ch].ir && reps > 1 && req_db < INFINITY; /* eta is used */
    return eff_snr_eta(c, ch, snr_db, reps, req_db, ir ? need_eta(c, ch, req_db) : 0.0);
}

double phy_chan_need_db(const phy_link_cfg *c, phy_chan ch)
{
    return c->cal[ch].offset_db;
}

phy_chan phy_npusch_chan(int tones, int scs_3k75)
{
    if (tones <= 1) return scs_3k75 ? PHY_CH_NPUSCH_ST_3K75 : PHY_CH_NPUSCH_ST_15K;
    return tones <= 3 ? PHY_CH_NPUSCH_3T : tones <= 6 ? PHY_CH_NPUSCH_6T : PHY_CH_NPUSCH_12T;
}

double phy_bler(const phy_link_cfg *c, double snr_db, double req_db, double target)
{
    if (!(req_db < INFINITY)) return 1.0;
    if (target < 1e-12) target = 1e-12;
    if (target > 1.0 - 1e-12) target = 1.0 - 1e-12;
    double odds = (1.0 - target) / target;
    return 1.0 / (1.0 + odds * exp(c->bler_slope * (snr_db - req_db)));
}

double phy_nprach_detect_prob(const phy_link_cfg *c, double cl_db, double tx_dbm, int reps)
{
    /* The NPRACH need is the one-repetition SNR of a 1 % miss probability. */
    double snr = phy_ul_snr_db(c, cl_db, tx_dbm, 3750.0);
    return 1.0 - phy_bler(c, phy_rep_snr_db(c, PHY_CH_NPRACH, snr, reps),
                          phy_chan_need_db(c, PHY_CH_NPRACH), 0.01);
}

/* phy_required_snr_db(c, bits, res) for a table entry whose Shannon term at
 * the default alpha is `term`: the same double, cheaper. */
static double need_db(const phy_link_cfg *c, phy_chan ch, double term, double bits, double res)
{
    if (c->shannon_alpha != PHY_TABLE_ALPHA) return phy_required_snr_db(c, ch, bits, res);
    if (bits / res > c->shannon_max_bps_hz) return INFINITY;
    return term + chan_offset(c, ch);
}

/* ----------------------------------------------------------- NPUSCH grant */

typedef struct ul_kind {
    uint8_t tones, scs_3k75;
    uint8_t quarter_tones; /* bandwidth in 3.75 kHz units: the tone-time weight */
    uint8_t res_per_ru;
    uint8_t max_itbs;
    uint8_t chan; /* phy_chan */
    int ru_us;    /* RU length, phy_ru_duration */
    double bw_hz;
    const double (*need)[8]; /* Shannon terms of the table at 96 or 144 REs per RU */
} ul_kind;

/* Multi-tone first: at equal tone-time the shorter transmission wins. */
static const ul_kind ul_kinds[5] = {
    {12, 0, 48, 144, 12, PHY_CH_NPUSCH_12T, 1000, 180e3, need_ulm},
    {6, 0, 24, 144, 12, PHY_CH_NPUSCH_6T, 2000, 90e3, need_ulm},
    {3, 0, 12, 144, 12, PHY_CH_NPUSCH_3T, 4000, 45e3, need_ulm},
    {1, 0, 4, 96, 10, PHY_CH_NPUSCH_ST_15K, 8000, 15e3, need_ul1},
    {1, 1, 1, 96, 10, PHY_CH_NPUSCH_ST_3K75, 32000, 3750.0, need_ul1},
};

/* Smallest k <= kmax with snr + k step >= req (the effective SNR of 2^k
 * repetitions, computed exactly as phy_rep_snr_db does), or -1. */
static int reps_exponent(double snr, double req, double step, int kmax)
{
    if (snr >= req) return 0;
    if (!(step > 0.0) || !(req < INFINITY)) return -1;
    double kf = ceil((req - snr) / step);
    if (kf > kmax + 1) return -1;
    int k = kf < 1.0 ? 1 : (int)kf;
    while (k > 1 && snr + (k - 1) * step >= req)
        k--;
    while (k <= kmax && snr + k * step < req)
        k++;
    return k <= kmax ? k : -1;
}

/* Smallest k <= kmax whose 2^k repetitions reach req on channel ch, or -1:
 * reps_exponent's closed form, or a search on an incremental-redundancy
 * channel (its gain depends on the block). */
static int reps_needed(const phy_link_cfg *c, phy_chan ch, double snr, double req, int kmax)
{
    if (!c->cal[ch].ir) return reps_exponent(snr, req, rep_step(c, ch), kmax);
    if (!(req < INFINITY)) return -1;
    if (snr >= req) return 0; /* one transmission: the SNR itself */
    /* phy_eff_snr_db's arithmetic, the block's efficiency once */
    const double eta = need_eta(c, ch, req);
    for (int k = 1; k <= kmax; k++)
        if (eff_snr_eta(c, ch, snr, 1 << k, req, eta) >= req) return k;
    return -1;
}

int phy_ul_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, int flags,
                  phy_ul_grant *g)
{
    /* Tone-time is bandwidth x duration (gaps included) in 3.75 kHz x us
     * units: a 3.75 kHz tone weighs a quarter of a 15 kHz tone, since 48 of
     * them fill the carrier as 12 tones of 15 kHz do. Candidates: 5 tone
     * configurations x 8 N_RU, each with the smallest I_TBS that holds the
     * bits and the fewest power-of-two repetitions meeting the target
     * (bler <= target <=> effective SNR >= need). A candidate whose
     * one-repetition cost already exceeds the best is skipped unevaluated. */
    if (bits < 1) bits = 1;
    if (bits > 1000) bits = 1000; /* larger payloads are mac's to segment */
    int kmax = 0;
    while (kmax < 7 && (2 << kmax) <= max_reps)
        kmax++;
    /* ul_kinds: 0-2 multi-tone (15 kHz), 3 single tone 15 kHz, 4 single tone 3.75 kHz */
    if ((flags & PHY_UL_ONLY_15K) && (flags & PHY_UL_ONLY_3K75))
        abort(); /* a broken invariant: one spacing or the other, not none */
    int first = flags & PHY_UL_MULTITONE ? 0 : 3, last = 5;
    if (first == 0 && (flags & PHY_UL_MAX_6T)) first = 1;
    if (first < 2 && (flags & PHY_UL_MAX_3T)) first = 2;
    if (flags & PHY_UL_ONLY_3K75) first = 4;
    if (flags & PHY_UL_ONLY_15K) last = 4;
    double snr[5];
    for (int kd = first; kd < last; kd++)
        snr[kd] = phy_ul_snr_db(c, cl_db, c->ue_max_dbm, ul_kinds[kd].bw_hz);

    int col_it[8]; /* smallest I_TBS holding the bits, per N_RU */
    for (int ni = 0; ni < 8; ni++)
        col_it[ni] = min_itbs(npusch_tbs, ni, 12, bits);

    int b_kd = -1, b_ni = 0, b_it = 0, b_k = 0;
    int64_t b_cost = 0;
    sim_time_t b_dur = 0;
    double b_req = 0.0;
    for (int ni = 0; ni < 8; ni++) {
        int n_ru = phy_n_ru_values[ni];
        for (int kd = first; kd < last; kd++) {
            const ul_kind *K = &ul_kinds[kd];
            int64_t cost0 = (int64_t)K->quarter_tones * K->ru_us * n_ru;
            if (b_kd >= 0 && cost0 > b_cost) continue;
            int it = col_it[ni];
            if (it < 0 || it > K->max_itbs) continue;
            double req = need_db(c, K->chan, K->need[it][ni], npusch_tbs[it][ni] + PHY_CRC_TB,
                                 K->res_per_ru * n_ru);
            int k = reps_needed(c, K->chan, snr[kd], req, kmax);
            if (k < 0) continue;
            sim_time_t dur = phy_npusch_duration(K->tones, K->scs_3k75, n_ru, 1 << k);
            int64_t cost = K->quarter_tones * dur;
            if (b_kd < 0 || cost < b_cost ||
                (cost == b_cost && (dur < b_dur || (dur == b_dur && k < b_k)))) {
                b_kd = kd, b_ni = ni, b_it = it, b_k = k;
                b_cost = cost, b_dur = dur, b_req = req;
            }
        }
    }
    int weak = b_kd < 0;
    if (weak) {
        /* Nothing meets the target: the most repetitions, on the candidate
         * with the largest SNR margin (lowest BLER); ties by tone-time. */
        double b_margin = -INFINITY;
        for (int ni = 0; ni < 8; ni++) {
            int n_ru = phy_n_ru_values[ni];
            for (int kd = first; kd < last; kd++) {
                const ul_kind *K = &ul_kinds[kd];
                int it = col_it[ni];
                if (it < 0 || it > K->max_itbs) continue;
                double req = need_db(c, K->chan, K->need[it][ni], npusch_tbs[it][ni] + PHY_CRC_TB,
                                     K->res_per_ru * n_ru);
                double margin = phy_eff_snr_db(c, K->chan, snr[kd], 1 << kmax, req) - req;
                sim_time_t dur = phy_npusch_duration(K->tones, K->scs_3k75, n_ru, 1 << kmax);
                int64_t cost = K->quarter_tones * dur;
                if (b_kd < 0 || margin > b_margin || (margin == b_margin && cost < b_cost)) {
                    b_kd = kd, b_ni = ni, b_it = it, b_k = kmax;
                    b_cost = cost, b_dur = dur, b_req = req, b_margin = margin;
                }
            }
        }
    }

    const ul_kind *K = &ul_kinds[b_kd];
    int reps = 1 << b_k;
    /* TS 36.213 16.2.1.1: more than 2 repetitions -> P_CMAX; otherwise
     * open-loop control, here aiming at the grant's need plus a margin. */
    double tx = c->ue_max_dbm;
    if (reps <= 2) {
        double eff_max = phy_eff_snr_db(c, K->chan, snr[b_kd], reps, b_req);
        tx = c->ue_max_dbm + (b_req + c->pc_margin_db - eff_max);
        if (tx > c->ue_max_dbm) tx = c->ue_max_dbm;
        if (tx < c->ue_min_dbm) tx = c->ue_min_dbm;
    }
    double eff = phy_eff_snr_db(c, K->chan, phy_ul_snr_db(c, cl_db, tx, K->bw_hz), reps, b_req);
    g->tones = K->tones;
    g->scs_3k75 = K->scs_3k75;
    g->i_tbs = (uint8_t)b_it;
    g->n_ru = (uint8_t)phy_n_ru_values[b_ni];
    g->n_prb = 0; /* NB-IoT */
    g->reps = (uint16_t)reps;
    g->tbs = npusch_tbs[b_it][b_ni];
    g->tx_dbm = (float)tx;
    g->bler = (float)phy_bler(c, eff, b_req, c->bler_target);
    g->duration = b_dur;
    return weak;
}

/* ----------------------------------------------------------- NPDSCH grant */

/* TS 36.213 Table 16.4.1.3-2. */
static const int dl_reps[16] = {1,   2,   4,   8,   16,  32,   64,   128,
                                192, 256, 384, 512, 768, 1024, 1536, 2048};

/* Index of the fewest repetitions among dl_reps[0..n) meeting req, or -1. */
static int dl_reps_index(const phy_link_cfg *c, double snr, double req, int n)
{
    if (snr >= req) return 0;
    double step = rep_step(c, PHY_CH_NPDSCH);
    if (!(step > 0.0) || !(req < INFINITY)) return -1;
    double r_need = exp2((req - snr) / step); /* estimate, then checked exactly */
    int j = 0;
    while (j < n - 1 && dl_reps[j] < r_need)
        j++;
    while (j > 0 && phy_eff_snr_db(c, PHY_CH_NPDSCH, snr, dl_reps[j - 1], req) >= req)
        j--;
    while (j < n && phy_eff_snr_db(c, PHY_CH_NPDSCH, snr, dl_reps[j], req) < req)
        j++;
    return j < n ? j : -1;
}

double phy_dl_grant_bler(const phy_link_cfg *c, double cl_db, const phy_dl_grant *g)
{
    const double req =
        phy_required_snr_db(c, PHY_CH_NPDSCH, g->tbs + PHY_CRC_TB, PHY_DL_RES * g->n_sf);
    const double snr = phy_eff_snr_db(c, PHY_CH_NPDSCH, phy_dl_snr_db(c, cl_db), g->reps, req);
    return phy_bler(c, snr, req, c->bler_target);
}

int phy_bcast_tx_needed(const phy_link_cfg *c, double cl_db, int tbs, int n_sf, int max_tx)
{
    const double snr = phy_dl_snr_db(c, cl_db);
    const double req = phy_required_snr_db(c, PHY_CH_NPDSCH, tbs + PHY_CRC_TB, PHY_DL_RES * n_sf);
    for (int k = 1; k < max_tx; k++)
        if (phy_eff_snr_db(c, PHY_CH_NPDSCH, snr, k, req) >= req) return k;
    return max_tx < 1 ? 1 : max_tx;
}

int phy_dl_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, phy_dl_grant *g)
{
    /* Least subframes N_SF x N_rep; ties: fewer repetitions. Repetitions
     * from the standard set (192, 384, ... included) up to max_reps. */
    if (bits < 1) bits = 1;
    if (bits > 680) bits = 680; /* Rel-13 maximum; mac segments larger data */
    int nrep = 1;
    while (nrep < 16 && dl_reps[nrep] <= max_reps)
        nrep++;
    double snr = phy_dl_snr_db(c, cl_db);
    int b_ni = -1, b_it = 0, b_j = 0;
    int64_t b_cost = 0;
    double b_req = 0.0;
    for (int ni = 0; ni < 8; ni++) {
        int n_sf = phy_n_ru_values[ni];
        if (b_ni >= 0 && n_sf > b_cost) continue;
        int it = min_itbs(npdsch_tbs, ni, 12, bits);
        if (it < 0) continue;
        double req = need_db(c, PHY_CH_NPDSCH, need_dl[it][ni], npdsch_tbs[it][ni] + PHY_CRC_TB,
                             PHY_DL_RES * n_sf);
        int j = dl_reps_index(c, snr, req, nrep);
        if (j < 0) continue;
        int64_t cost = (int64_t)n_sf * dl_reps[j];
        if (b_ni < 0 || cost < b_cost || (cost == b_cost && j < b_j)) {
            b_ni = ni, b_it = it, b_j = j, b_cost = cost, b_req = req;
        }
    }
    int weak = b_ni < 0;
    if (weak) {
        double b_margin = -INFINITY;
        for (int ni = 0; ni < 8; ni++) {
            int n_sf = phy_n_ru_values[ni];
            int it = min_itbs(npdsch_tbs, ni, 12, bits);
            if (it < 0) continue;
            double req = need_db(c, PHY_CH_NPDSCH, need_dl[it][ni], npdsch_tbs[it][ni] + PHY_CRC_TB,
                                 PHY_DL_RES * n_sf);
            double margin = phy_eff_snr_db(c, PHY_CH_NPDSCH, snr, dl_reps[nrep - 1], req) - req;
            if (b_ni < 0 || margin > b_margin) {
                b_ni = ni, b_it = it, b_j = nrep - 1, b_req = req, b_margin = margin;
            }
        }
    }
    g->i_tbs = (uint8_t)b_it;
    g->n_sf = (uint8_t)phy_n_ru_values[b_ni];
    g->n_prb = 0; /* NB-IoT */
    g->reps = (uint16_t)dl_reps[b_j];
    g->tbs = npdsch_tbs[b_it][b_ni];
    g->n_subframes = g->n_sf * g->reps;
    g->bler = (float)phy_bler(c, phy_eff_snr_db(c, PHY_CH_NPDSCH, snr, g->reps, b_req), b_req,
                              c->bler_target);
    return weak;
}

/* ----------------------------------------------------------------- NPDCCH */

/* The smallest DCI repetition of {Rmax/8, Rmax/4, Rmax/2, Rmax} (1, 2, 4
 * ... below Rmax = 8) whose repeated SNR reaches req; Rmax if none. The
 * same candidate sets for NPDCCH (TS 36.213 Table 16.6-1) and MPDCCH
 * (Table 9.1.5-1a). *bler (may be NULL) gets its BLER. */
static int dci_reps(const phy_link_cfg *c, phy_chan ch, double snr, double req, int rmax,
                    double *bler)
{
    if (rmax < 1) rmax = 1;
    int cand[12], n = 0;
    if (rmax >= 8) {
        cand[n++] = rmax / 8;
        cand[n++] = rmax / 4;
        cand[n++] = rmax / 2;
    } else {
        for (int r = 1; r < rmax; r *= 2)
            cand[n++] = r;
    }
    cand[n++] = rmax;
    int r = rmax;
    for (int i = 0; i < n; i++)
        if (phy_eff_snr_db(c, ch, snr, cand[i], req) >= req) {
            r = cand[i];
            break;
        }
    if (bler) *bler = phy_bler(c, phy_eff_snr_db(c, ch, snr, r, req), req, c->dci_bler_target);
    return r;
}

int phy_npdcch_reps(const phy_link_cfg *c, double cl_db, int rmax, double *bler)
{
    return dci_reps(c, PHY_CH_NPDCCH, phy_dl_snr_db(c, cl_db),
                    phy_required_snr_db(c, PHY_CH_NPDCCH, PHY_DCI_BITS, PHY_DL_RES), rmax, bler);
}

/* ------------------------------------------------------------------ LTE-M */

/* TS 36.212 5.3.3.1.12 (6-1A) at 10 MHz: format flag 1, hopping 1, RB
 * assignment ceil(log2(floor(50 / 6))) + 5 = 8, MCS 4, repetitions 2, HARQ
 * process 3, NDI 1, RV 2, TPC 2, SRS request 1, HARQ-ACK offset 2, DCI
 * subframe repetitions 2 = 29 bits; 6-0A (5.3.3.1.10, 28 bits) is padded to
 * the same size. Plus the 16-bit CRC. */
#define PHY_LTEM_DCI_BITS (29 + 16)
#define PHY_LTEM_NB_PRB   6 /* PRBs of a narrowband (TS 36.211 6.2.7) */

void phy_ltem_link_default(phy_link_cfg *c)
{
    c->ltem_enb_tx_dbm = 46.0;   /* 10 MHz macro, TR 36.888-style assumption (phy.h) */
    c->ltem_carrier_prb = 50;    /* 10 MHz */
    c->ltem_dl_re_per_prb = 120; /* 168 - 36 control - 12 CRS (phy.h) */
    c->ltem_ul_re_per_prb = 144; /* 12 x 12 */
}

static double ltem_prb_dbm(const phy_link_cfg *c)
{
    int n = c->ltem_carrier_prb > 0 ? c->ltem_carrier_prb : 1;
    return c->ltem_enb_tx_dbm - 10.0 * log10((double)n);
}

double phy_ltem_rsrp_dbm(const phy_link_cfg *c, double cl_db)
{
    return ltem_prb_dbm(c) - 10.0 * log10(12.0) - cl_db;
}

double phy_ltem_dl_snr_db(const phy_link_cfg *c, double cl_db)
{
    return ltem_prb_dbm(c) - cl_db - phy_noise_dbm(180e3, c->ue_nf_db);
}

double phy_ltem_ul_snr_db(const phy_link_cfg *c, double cl_db, double tx_dbm, int n_prb)
{
    if (n_prb < 1) n_prb = 1;
    return phy_ul_snr_db(c, cl_db, tx_dbm, 180e3 * n_prb);
}

/* Repetition rows (PUSCH: TS 36.213 Tables 8-2b/8-2c, read; PDSCH: Tables
 * 7.1.11-1/-2, assumed the same). Row key: the configured maximum, 0 for
 * "not configured". Mode B "not configured" and "512" both end at 512 but
 * differ, hence the explicit key. */
typedef struct ltem_rep_row {
    int16_t key;
    int16_t r[8];
} ltem_rep_row;

static const ltem_rep_row rep_rows_a[3] = {
    {0, {1, 2, 4, 8}},
    {16, {1, 4, 8, 16}},
    {32, {1, 4, 16, 32}},
};
static const ltem_rep_row rep_rows_b[9] = {
    {0, {4, 8, 16, 32, 64, 128, 256, 512}},         {192, {1, 4, 8, 16, 32, 64, 128, 192}},
    {256, {4, 8, 16, 32, 64, 128, 192, 256}},       {384, {4, 16, 32, 64, 128, 192, 256, 384}},
    {512, {4, 16, 64, 128, 192, 256, 384, 512}},    {768, {8, 32, 128, 192, 256, 384, 512, 768}},
    {1024, {4, 8, 16, 64, 128, 256, 512, 1024}},    {1536, {4, 16, 64, 256, 512, 768, 1024, 1536}},
    {2048, {4, 16, 64, 128, 256, 512, 1024, 2048}},
};
/* The union of each mode's rows, for a max_reps that selects no row. */
static const int16_t rep_union_a[6] = {1, 2, 4, 8, 16, 32};
static const int16_t rep_union_b[15] = {1,   4,   8,   16,  32,   64,   128, 192,
                                        256, 384, 512, 768, 1024, 1536, 2048};

/* The repetition set for (mode_b, max_reps), increasing, into out[16];
 * returns its size (>= 1). */
static int ltem_rep_set(int mode_b, int max_reps, int *out)
{
    const ltem_rep_row *rows = mode_b ? rep_rows_b : rep_rows_a;
    int nrows = mode_b ? 9 : 3;
    int key = max_reps < 0 ? 0 : max_reps;
    if (!mode_b && key == 8) key = 0; /* the not-configured row ends at 8 */
    for (int i = 0; i < nrows; i++) {
        if (rows[i].key != key) continue;
        int n = 0;
        for (int j = 0; j < 8 && rows[i].r[j] > 0; j++)
            out[n++] = rows[i].r[j];
        return n;
    }
    const int16_t *u = mode_b ? rep_union_b : rep_union_a;
    int nu = mode_b ? 15 : 6, n = 0;
    for (int j = 0; j < nu && u[j] <= max_reps; j++)
        out[n++] = u[j];
    if (n == 0) out[n++] = u[0];
    return n;
}

static int ltem_reps_valid(int reps, int mode_b, int max_reps)
{
    int set[16];
    int n = ltem_rep_set(mode_b, max_reps, set);
    for (int i = 0; i < n; i++)
        if (set[i] == reps) return 1;
    return 0;
}

int phy_ltem_pusch_reps_valid(int reps, int mode_b, int max_reps)
{
    return ltem_reps_valid(reps, mode_b, max_reps);
}

int phy_ltem_pdsch_reps_valid(int reps, int mode_b, int max_reps)
{
    return ltem_reps_valid(reps, mode_b, max_reps);
}

int phy_ltem_max_reps_valid(int max_reps, int mode_b)
{
    if (max_reps == 0 || (!mode_b && max_reps == 8)) return 1;
    const ltem_rep_row *rows = mode_b ? rep_rows_b : rep_rows_a;
    int nrows = mode_b ? 9 : 3;
    for (int i = 1; i < nrows; i++)
        if (rows[i].key == max_reps) return 1;
    return 0;
}

int phy_ltem_pucch_ack_reps_valid(int reps, int mode_b)
{
    int lo = mode_b ? 4 : 1, hi = mode_b ? 32 : 8;
    return reps >= lo && reps <= hi && (reps & (reps - 1)) == 0;
}

/* The allocation options of one direction and mode: PRB counts, the TBS
 * table column each uses, the largest I_TBS. */
typedef struct ltem_alloc {
    int n;
    int prb[6], col[6];
    int max_itbs;
} ltem_alloc;

static void ltem_allocs(int uplink, int mode_b, ltem_alloc *a)
{
    if (!mode_b) {
        /* Mode A: 1..6 contiguous PRBs in a narrowband (TS 36.213 8.1.1,
         * 7.1.6.3); I_MCS 0..15 maps to I_TBS <= 14 both ways (Tables
         * 8.6.1-2, 7.1.7.1-1). */
        a->n = 6;
        for (int i = 0; i < 6; i++)
            a->prb[i] = a->col[i] = i + 1;
        a->max_itbs = 14;
    } else if (uplink) {
        /* Mode B PUSCH: 1 PRB or a PRB pair (Table 8.1.3-1); the TBS is
         * read on column N_PRB' = 3 or 6 (TS 36.213 8.6.2 as read in a
         * Rel-19 copy; its Rel-13 presence assumed); I_MCS <= 10 (8.6.1). */
        a->n = 2;
        a->prb[0] = 1, a->col[0] = 3;
        a->prb[1] = 2, a->col[1] = 6;
        a->max_itbs = 10;
    } else {
        /* Mode B PDSCH: 4 or 6 PRBs (DCI 6-1B, unconfirmed); I_TBS = I_MCS,
         * 4-bit field (unconfirmed). */
        a->n = 2;
        a->prb[0] = 4, a->col[0] = 4;
        a->prb[1] = 6, a->col[1] = 6;
        a->max_itbs = 15;
    }
}

/* Smallest I_TBS <= max_itbs whose TBS on column col holds bits, or -1.
 * A column's TBS grows with I_TBS (TS 36.213 Table 7.1.7.2.1-1) and is 0
 * above the Cat-M1 cap, so "TBS >= bits or above the cap" turns true once
 * and stays true: a binary search finds where. */
static int ltem_min_itbs(int col, int max_itbs, int bits)
{
    int lo = 0, hi = max_itbs + 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int t = phy_ltem_tbs(mid, col);
        if (t == 0 || t >= bits)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo <= max_itbs && phy_ltem_tbs(lo, col) != 0 ? lo : -1;
}

int phy_ltem_max_tbs(int uplink, int mode_b)
{
    ltem_alloc a;
    ltem_allocs(uplink, mode_b, &a);
    int best = 0;
    /* per column the largest I_TBS under the cap has the largest TBS */
    for (int k = 0; k < a.n; k++)
        for (int i = a.max_itbs; i >= 0; i--) {
            int t = phy_ltem_tbs(i, a.col[k]);
            if (t == 0) continue;
            if (t > best) best = t;
            break;
        }
    return best;
}

/* One candidate of a selection: allocation k with its I_TBS, TBS, need and
 * SNR per repetition. */
typedef struct ltem_cand {
    int k, itbs, tbs;
    double req, snr;
} ltem_cand;

/* Common to PUSCH and PDSCH: fills cand[] (one per allocation that can
 * hold the bits) and picks the fewest PRB x subframes meeting the target
 * (ties: fewer subframes), or else the row's most repetitions on the
 * candidate with the largest margin (ties: fewer PRBs). Returns the weak
 * flag; *ci and *reps get the choice. */
static int ltem_pick(const phy_link_cfg *c, phy_chan ch, const ltem_alloc *a, const ltem_cand *cand,
                     int nc, const int *set, int nset, int *ci, int *reps)
{
    int best = -1, b_reps = 0;
    long b_cost = 0;
    double eta[6];
    for (int i = 0; i < nc; i++)
        eta[i] = c->cal[ch].ir && cand[i].req < INFINITY ? need_eta(c, ch, cand[i].req) : 0.0;
    for (int i = 0; i < nc; i++) {
        int r = 0;
        for (int j = 0; j < nset; j++)
            if (eff_snr_eta(c, ch, cand[i].snr, set[j], cand[i].req, eta[i]) >= cand[i].req) {
                r = set[j];
                break;
            }
        if (!r) continue;
        long cost = (long)a->prb[cand[i].k] * r;
        if (best < 0 || cost < b_cost || (cost == b_cost && r < b_reps))
            best = i, b_cost = cost, b_reps = r;
    }
    if (best >= 0) {
        *ci = best, *reps = b_reps;
        return 0;
    }
    int rmax = set[nset - 1];
    double b_margin = -INFINITY;
    for (int i = 0; i < nc; i++) {
        double m = eff_snr_eta(c, ch, cand[i].snr, rmax, cand[i].req, eta[i]) - cand[i].req;
        if (best < 0 || m > b_margin || (m == b_margin && a->prb[cand[i].k] < a->prb[cand[best].k]))
            best = i, b_margin = m;
    }
    *ci = best, *reps = rmax;
    return 1;
}

int phy_ltem_ul_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, int mode_b,
                       phy_ul_grant *g)
{
    ltem_alloc a;
    ltem_allocs(1, mode_b, &a);
    int cap = phy_ltem_max_tbs(1, mode_b);
    if (bits < 1) bits = 1;
    if (bits > cap) bits = cap; /* mac segments larger payloads by g->tbs */
    int set[16];
    int nset = ltem_rep_set(mode_b, max_reps, set);
    ltem_cand cand[6];
    int nc = 0;
    for (int k = 0; k < a.n; k++) {
        int it = ltem_min_itbs(a.col[k], a.max_itbs, bits);
        if (it < 0) continue;
        int tbs = phy_ltem_tbs(it, a.col[k]);
        cand[nc].k = k, cand[nc].itbs = it, cand[nc].tbs = tbs;
        cand[nc].req = phy_required_snr_db(c, PHY_CH_PUSCH, tbs + PHY_CRC_TB,
                                           (double)a.prb[k] * c->ltem_ul_re_per_prb);
        cand[nc].snr = phy_ltem_ul_snr_db(c, cl_db, c->ue_max_dbm, a.prb[k]);
        nc++;
    }
    int ci = 0, reps = 1;
    int weak = ltem_pick(c, PHY_CH_PUSCH, &a, cand, nc, set, nset, &ci, &reps);
    const ltem_cand *b = &cand[ci];
    int n_prb = a.prb[b->k];
    /* TS 36.213 5.1.1.1 (BL/CE; unconfirmed reading): P_CMAX in CE mode B
     * and for more than 2 repetitions; otherwise open loop, modelled as in
     * phy_ul_select: the grant's need plus pc_margin_db. */
    double tx = c->ue_max_dbm;
    if (!mode_b && reps <= 2) {
        double eff_max = phy_eff_snr_db(c, PHY_CH_PUSCH, b->snr, reps, b->req);
        tx = c->ue_max_dbm + (b->req + c->pc_margin_db - eff_max);
        if (tx > c->ue_max_dbm) tx = c->ue_max_dbm;
        if (tx < c->ue_min_dbm) tx = c->ue_min_dbm;
    }
    double eff =
        phy_eff_snr_db(c, PHY_CH_PUSCH, phy_ltem_ul_snr_db(c, cl_db, tx, n_prb), reps, b->req);
    g->tones = 0;
    g->scs_3k75 = 0;
    g->i_tbs = (uint8_t)b->itbs;
    g->n_ru = 1;
    g->n_prb = (uint8_t)n_prb;
    g->reps = (uint16_t)reps;
    g->tbs = (uint16_t)b->tbs;
    g->tx_dbm = (float)tx;
    g->bler = (float)phy_bler(c, eff, b->req, c->bler_target);
    g->duration = (sim_time_t)reps * SIM_MS; /* one subframe per repetition */
    return weak;
}

int phy_ltem_dl_select(const phy_link_cfg *c, double cl_db, int bits, int max_reps, int mode_b,
                       phy_dl_grant *g)
{
    ltem_alloc a;
    ltem_allocs(0, mode_b, &a);
    int cap = phy_ltem_max_tbs(0, mode_b);
    if (bits < 1) bits = 1;
    if (bits > cap) bits = cap;
    int set[16];
    int nset = ltem_rep_set(mode_b, max_reps, set);
    double snr = phy_ltem_dl_snr_db(c, cl_db); /* per PRB, any n_prb */
    ltem_cand cand[6];
    int nc = 0;
    for (int k = 0; k < a.n; k++) {
        int it = ltem_min_itbs(a.col[k], a.max_itbs, bits);
        if (it < 0) continue;
        int tbs = phy_ltem_tbs(it, a.col[k]);
        cand[nc].k = k, cand[nc].itbs = it, cand[nc].tbs = tbs;
        cand[nc].req = phy_required_snr_db(c, PHY_CH_PDSCH, tbs + PHY_CRC_TB,
                                           (double)a.prb[k] * c->ltem_dl_re_per_prb);
        cand[nc].snr = snr;
        nc++;
    }
    int ci = 0, reps = 1;
    int weak = ltem_pick(c, PHY_CH_PDSCH, &a, cand, nc, set, nset, &ci, &reps);
    const ltem_cand *b = &cand[ci];
    g->i_tbs = (uint8_t)b->itbs;
    g->n_sf = 1;
    g->n_prb = (uint8_t)a.prb[b->k];
    g->reps = (uint16_t)reps;
    g->tbs = (uint16_t)b->tbs;
    g->n_subframes = reps;
    g->bler = (float)phy_bler(c, phy_eff_snr_db(c, PHY_CH_PDSCH, snr, reps, b->req), b->req,
                              c->bler_target);
    return weak;
}

double phy_ltem_dl_grant_bler(const phy_link_cfg *c, double cl_db, const phy_dl_grant *g)
{
    const double req = phy_required_snr_db(c, PHY_CH_PDSCH, g->tbs + PHY_CRC_TB,
                                           (double)g->n_prb * c->ltem_dl_re_per_prb);
    const double snr = phy_eff_snr_db(c, PHY_CH_PDSCH, phy_ltem_dl_snr_db(c, cl_db), g->reps, req);
    return phy_bler(c, snr, req, c->bler_target);
}

int phy_ltem_mpdcch_reps(const phy_link_cfg *c, double cl_db, int rmax, double *bler)
{
    /* aggregation 24 ECCEs: the narrowband's 6 PRBs */
    double req = phy_required_snr_db(c, PHY_CH_MPDCCH, PHY_LTEM_DCI_BITS,
                                     (double)PHY_LTEM_NB_PRB * c->ltem_dl_re_per_prb);
    return dci_reps(c, PHY_CH_MPDCCH, phy_ltem_dl_snr_db(c, cl_db), req, rmax, bler);
}

double phy_ltem_prach_detect_prob(const phy_link_cfg *c, double cl_db, double tx_dbm, int reps)
{
    /* The PRACH need is the one-repetition SNR of a 1 % miss probability
     * over the 1.08 MHz of the preamble (839 x 1.25 kHz). */
    double snr = phy_ul_snr_db(c, cl_db, tx_dbm, 1.08e6);
    return 1.0 - phy_bler(c, phy_rep_snr_db(c, PHY_CH_PRACH, snr, reps),
                          phy_chan_need_db(c, PHY_CH_PRACH), 0.01);
}

int phy_ltem_mpdcch_fits(const phy_link_cfg *c, double cl_db, int n_prb)
{
    /* one DCI, one repetition, on n_prb PRBs of the narrowband (aggregation
     * 4 n_prb ECCEs): the need over its REs against the per-PRB SNR */
    double req = phy_required_snr_db(c, PHY_CH_MPDCCH, PHY_LTEM_DCI_BITS,
                                     (double)n_prb * c->ltem_dl_re_per_prb);
    return phy_ltem_dl_snr_db(c, cl_db) >= req;
}
