-- mtc.lua: helpers for mtcsim scenarios.
--
-- Units: durations are seconds, powers milliwatts, sizes bytes. The
-- helpers only build plain tables; mtcsim checks every field when it reads
-- the scenario (unknown keys and out-of-range values are errors).

local mtc = {}

local function num(x, what, level)
  if type(x) ~= "number" then
    error(what .. ": expected a number, got " .. type(x), (level or 2) + 1)
  end
  return x
end

-- Returns a deep copy of a table, so a shared profile can be changed per group.
-- A table that contains itself has no copy: an error (not a stack overflow).
local function copy(t, open)
  if type(t) ~= "table" then return t end
  if open[t] then error("mtc.copy: the table contains itself (a cycle): it cannot be copied", 0) end
  open[t] = true
  local c = {}
  for k, v in pairs(t) do c[k] = copy(v, open) end
  open[t] = nil
  return c
end
function mtc.copy(t) return copy(t, {}) end

-- Returns a copy of `base` with the fields of `changes` replaced.
function mtc.with(base, changes)
  local c = mtc.copy(base)
  for k, v in pairs(changes) do c[k] = mtc.copy(v) end
  return c
end

---------------------------------------------------------------- units
function mtc.us(x) return num(x, "mtc.us") / 1e6 end
function mtc.ms(x) return num(x, "mtc.ms") / 1e3 end
function mtc.s(x) return num(x, "mtc.s") end
function mtc.minutes(x) return num(x, "mtc.minutes") * 60 end
function mtc.hours(x) return num(x, "mtc.hours") * 3600 end
function mtc.days(x) return num(x, "mtc.days") * 86400 end
function mtc.years(x) return num(x, "mtc.years") * 365.25 * 86400 end
-- Power levels are written in dBm; mW is the unit of power draw.
function mtc.dBm(x) return num(x, "mtc.dBm") end
function mtc.dBm_to_mW(x) return 10 ^ (num(x, "mtc.dBm_to_mW") / 10) end
function mtc.mW_to_dBm(x) return 10 * math.log(num(x, "mtc.mW_to_dBm"), 10) end
function mtc.bytes(x) return num(x, "mtc.bytes") end
function mtc.kB(x) return num(x, "mtc.kB") * 1000 end
function mtc.KiB(x) return num(x, "mtc.KiB") * 1024 end
-- Current at a supply voltage to power: mtc.mA(1.56, 3.8) = 5.928 mW.
function mtc.mA(i, volts) return num(i, "mtc.mA") * num(volts, "mtc.mA volts") end
function mtc.uA(i, volts) return num(i, "mtc.uA") * num(volts, "mtc.uA volts") / 1000 end

------------------------------------------------------------- scenario
-- Marks the scenario table; returns it unchanged.
function mtc.scenario(t)
  if type(t) ~= "table" then error("mtc.scenario: expected a table", 2) end
  return t
end

------------------------------------------------------ module profiles
-- Power per state, mW: the profiles of modules.lua (sources there).
mtc.modules = require "modules"

--------------------------------------------------------------- payloads
mtc.payload = {}
function mtc.payload.fixed(bytes)
  return { kind = "fixed", bytes = num(bytes, "mtc.payload.fixed") }
end
function mtc.payload.uniform(lo, hi)
  return { kind = "uniform", min_bytes = num(lo, "mtc.payload.uniform"),
           max_bytes = num(hi, "mtc.payload.uniform") }
end
function mtc.payload.pareto(shape, lo, hi)
  return { kind = "pareto", shape = num(shape, "mtc.payload.pareto shape"),
           min_bytes = num(lo, "mtc.payload.pareto min"), max_bytes = num(hi, "mtc.payload.pareto max") }
end

---------------------------------------------------------------- traffic
mtc.traffic = {}
-- Every period_s seconds, first report at a uniform random phase.
function mtc.traffic.periodic(period_s, payload)
  return { kind = "periodic", period_s = num(period_s, "mtc.traffic.periodic"),
           payload = payload or mtc.payload.fixed(100) }
end
-- Poisson arrivals with the given mean interval.
function mtc.traffic.poisson(mean_interval_s, payload)
  return { kind = "poisson", mean_interval_s = num(mean_interval_s, "mtc.traffic.poisson"),
           payload = payload or mtc.payload.fixed(100) }
end
function mtc.traffic.none() return { kind = "none" } end

-- TR 45.820 Annex E.
mtc.tr45820 = {}
-- Mobile autonomous reporting, periodic: 40 % daily, 40 % 2-hourly, 15 %
-- hourly, 5 % half-hourly; Pareto(2.5) payload, 20 to 200 bytes (the bounds
-- are commonly used, unconfirmed in the primary text).
function mtc.tr45820.mar_periodic(payload)
  return { kind = "tr45820_mix",
           mix_share = { 0.4, 0.4, 0.15, 0.05 },
           mix_period_s = { 86400, 7200, 3600, 1800 },
           payload = payload or mtc.payload.pareto(2.5, 20, 200) }
end

-- TR 37.868 RACH overload traffic models (one report per device).
mtc.tr37868 = {}
-- Model 1: uniform over 60 s.
function mtc.tr37868.model1(payload, start_s)
  return { kind = "burst_uniform", start_s = start_s or 0, spread_s = 60,
           payload = payload or mtc.payload.fixed(100) }
end
-- The LTE cell of the TR 37.868 RACH evaluation (access only, the TR's
-- assumptions of its clause 6.1.1), and the fleet sizes it uses.
function mtc.tr37868.cell()
  return {
    rat = "ltem",
    ra_model = "tr37868",
    rach = {
      prach_config_index = 6, preambles = 54, max_preamble_tx = 10, backoff_ms = 20,
      rar_window_sf = 5, rar_grants_per_sf = 3, harq_max_tx = 5, harq_error = 0.1,
      cr_timer_sf = 48,
    },
  }
end
mtc.tr37868.sizes = { 1000, 5000, 10000, 30000 }
-- Model 2: Beta(3, 4) over 10 s (a synchronised event).
function mtc.tr37868.model2(payload, start_s)
  return { kind = "burst_beta", start_s = start_s or 0, spread_s = 10, beta_a = 3, beta_b = 4,
           payload = payload or mtc.payload.fixed(100) }
end

--------------------------------------------------------------- coverage
-- Coupling-loss distributions for devices[i].coverage.
mtc.coverage = {}
-- Every device at the same coupling loss, dB.
function mtc.coverage.fixed(db)
  return { kind = "fixed", fixed_db = num(db, "mtc.coverage.fixed") }
end
-- Inverse CDF through points: P(CL <= db[i]) = cdf[i], linear between.
function mtc.coverage.table(db, cdf)
  if type(db) ~= "table" or type(cdf) ~= "table" then
    error("mtc.coverage.table: expected two lists", 2)
  end
  return { kind = "table", table_db = db, table_cdf = cdf }
end
-- TR 45.820: uniform in a hexagonal sector (ISD 1732 m), path loss
-- 120.9 + 37.6 log10(R km), 8 dB shadowing, building penetration, antenna
-- gains; `changes` overrides any of its fields.
function mtc.coverage.tr45820(changes)
  local t = { kind = "tr45820" }
  for k, v in pairs(changes or {}) do t[k] = v end
  return t
end
mtc.tr45820.coupling_loss = mtc.coverage.tr45820

-- A misspelt name (mtc.modules.bg69, mtc.traffic.periodc) is an error at
-- the script's line rather than nil, which a field would take as "default".
local named = require "mtc_names"
named(mtc.payload, "mtc.payload", "payload helper")
named(mtc.traffic, "mtc.traffic", "traffic helper")
named(mtc.tr45820, "mtc.tr45820", "TR 45.820 helper")
named(mtc.tr37868, "mtc.tr37868", "TR 37.868 helper")
named(mtc.coverage, "mtc.coverage", "coverage helper")
return named(mtc, "mtc", "helper")
