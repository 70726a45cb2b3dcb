"""Figure helpers shared by the report and the comparison: style, saving
(300-dpi PNG beside a PDF), legends outside the data, the source line,
counts, confidence intervals and axis choices."""

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

DPI = 300
VECTOR = "pdf"
STYLE = {"font.size": 10, "axes.titlesize": 10, "axes.labelsize": 10, "legend.fontsize": 9,
         "xtick.labelsize": 9, "ytick.labelsize": 9, "pdf.fonttype": 42, "svg.fonttype": "none"}
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*", "<", ">", "h", "p")
LINESTYLES = ("-", "--", "-.", ":")
# Student t 0.975 quantiles for 1..30 degrees of freedom; 1.96 beyond
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
plt.rcParams.update(STYLE)


class Figure:
    """A finished figure: file stem, the matplotlib figure and its caption."""

    def __init__(self, name, fig, caption, title):
        self.name, self.fig, self.caption, self.title = name, fig, caption, title
        self.files = []


def new_figure(width=6.4, height=3.8, nrows=1, ncols=1, **kw):
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False, **kw)
    return fig, axes


def source_line(fig, text):
    """The run's name and seed (and mtcsim's version) under the figure."""
    fig.text(0.005, 0.002, text, fontsize=7, color="0.3", ha="left", va="bottom")


def outside_legend(ax, handles=None, labels=None, title=None):
    """A legend to the right of the axes, outside the data area, so that it
    never covers data; None when there is nothing to list."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                     borderaxespad=0.0, frameon=False, title=title)


def finish(fig, source, bottom=0.06):
    """The source line, and a figure widened by its widest outside legend so
    that the axes keep their width."""
    source_line(fig, source)
    fig.canvas.draw()
    widest = 0.0
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is not None:
            widest = max(widest, leg.get_window_extent().width / fig.dpi)
    if widest:
        w, h = fig.get_size_inches()
        fig.set_size_inches(w + widest + 0.2, h)
    fig.tight_layout(rect=(0, bottom, 1, 1))


def save(figure, out):
    """figure.name + .png (300 dpi) and .pdf (vector) in out."""
    files = []
    for ext in ("png", VECTOR):
        path = os.path.join(out, figure.name + "." + ext)
        figure.fig.savefig(path, dpi=DPI, bbox_inches="tight", pad_inches=0.04,
                           metadata=None if ext == "png" else {"Title": figure.title})
        files.append(os.path.basename(path))
    plt.close(figure.fig)
    figure.files = files
    return files


def mean_ci(x):
    """Mean and half-width of its 95 % confidence interval (Student t; NaN
    below two finite values)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return math.nan, math.nan
    if len(x) < 2:
        return float(x[0]), math.nan
    t = T975[len(x) - 2] if len(x) - 1 <= 30 else 1.96
    return float(x.mean()), float(t * x.std(ddof=1) / math.sqrt(len(x)))


def clipped_errors(means, halves, lo, hi):
    """Asymmetric error bars of mean +- half clipped to [lo, hi]: the physical
    range (a probability cannot pass 1 or fall below 0)."""
    m = np.asarray(means, dtype=float)
    h = np.nan_to_num(np.asarray(halves, dtype=float), nan=0.0)
    low = np.clip(m - h, lo, hi)
    high = np.clip(m + h, lo, hi)
    return np.vstack([np.nan_to_num(m - low), np.nan_to_num(high - m)])


def spans_decades(values, decades=1.0):
    """Whether the positive values span at least that many decades."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    return len(v) > 1 and math.log10(v.max() / v.min()) >= decades


def log_base(xs):
    """A log axis for a parameter that grows by factors (doubling eDRX
    cycles, device counts 1,000 ... 30,000): base 2 when every step is
    about a doubling, 10 for other wide geometric ranges, None for linear."""
    x = np.unique(np.asarray(xs, dtype=float))
    x = x[np.isfinite(x)]
    if len(x) < 3 or x.min() <= 0:
        return None
    r = x[1:] / x[:-1]
    if np.allclose(r, 2.0, rtol=0.02):
        return 2
    if r.min() >= 1.5 and x.max() / x.min() >= 8:
        return 2 if x.max() / x.min() < 100 else 10
    return None


def count_text(counts):
    """'150 devices x 2 replications' (x N points when pooled) from the row
    counts per (point, replication); 'N device runs' when they differ."""
    n = sum(counts.values())
    if not n:
        return "0 device runs"
    per = set(counts.values())
    points = len({p for p, _ in counts})
    reps = len({r for _, r in counts})
    if len(per) == 1 and points * reps == len(counts):
        d = per.pop()
        t = "%d device%s x %d replication%s" % (d, "" if d == 1 else "s", reps,
                                                "" if reps == 1 else "s")
        return t + (" x %d points" % points if points > 1 else "")
    return "%d device run%s" % (n, "" if n == 1 else "s")


def cdf_line(ax, values, label, **kw):
    """The empirical CDF of the finite values; their number (0: nothing drawn)."""
    v = np.asarray(values, dtype=float)
    v = np.sort(v[np.isfinite(v)])
    if len(v):
        ax.step(np.concatenate([[v[0]], v]), np.concatenate([[0.0], np.arange(1, len(v) + 1)
                                                             / len(v)]),
                where="post", label=label, **kw)
    return len(v)


def plain_log_labels(axis):
    """Tick labels on a log axis as plain numbers (0.05, 0.1, 0.2 ...)
    instead of powers of ten; 2 and 5 between the decades."""
    from matplotlib.ticker import FuncFormatter, LogLocator

    def lab(v, _):
        if v <= 0:
            return ""
        m = v / 10 ** math.floor(math.log10(v) + 1e-9)
        return "%g" % v if round(m, 6) in (1.0, 2.0, 5.0) else ""

    axis.set_major_locator(LogLocator(base=10))
    axis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lab))
    axis.set_minor_formatter(FuncFormatter(lab))
    axis.set_tick_params(which="both", length=3.5)  # labels of both kinds on one line
