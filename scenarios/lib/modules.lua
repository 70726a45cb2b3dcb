-- modules.lua: device power profiles for devices[i].module, as plain Lua
-- data. Copy one and edit it, or derive a variant:
--
--   local modules = require "modules"
--   module = mtc.with(modules.sara_n211, { psm_mw = mtc.uA(1, 3.6) })
--
-- Fields (mW): tx_mw at tx_ref_dbm with pa_efficiency for other output
-- levels, or a measured tx_table_dbm / tx_table_mw (linear in between,
-- clamped at the ends; replaces tx_mw and the PA curve); rx_mw; connected_mw
-- (connected, neither sending nor receiving); idle_mw (idle between paging
-- occasions); edrx_mw (between eDRX paging windows); psm_mw. Currents are
-- converted at the module's nominal supply voltage: draw = I x V.
--
-- "(assumption)" marks a value the cited source does not give; such values
-- are our choice and say why.

local modules = {}

-- TR 45.820 battery-life method as commonly quoted (unconfirmed in the
-- primary text): TX 543 mW at 23 dBm, RX 90 mW, light sleep 3 mW (some quote
-- 2.4 mW), deep sleep 0.015 mW. The TR gives one transmit figure; lower
-- output levels follow the PA curve (pa_efficiency 0.45, unconfirmed). No
-- separate connected-idle state: light sleep is used for it.
modules.tr45820 = {
  tx_mw = 543, tx_ref_dbm = 23, pa_efficiency = 0.45,
  rx_mw = 90, connected_mw = 3, idle_mw = 3, edrx_mw = 0.015, psm_mw = 0.015,
}

-- Quectel BG96 at 3.8 V as measured by Joerke et al. and used in the public
-- ns-3 LENA-NB model: PSM 3.9 uA, idle DRX
-- 1.56 mA, eDRX idle and connected idle 0.81 mA, transmitting 155 mA (at
-- the 23 dBm the measurement used; lower levels by the PA curve, our
-- assumption: the measurement gives one level), receiving about 80 mW.
modules.bg96 = {
  tx_mw = 155 * 3.8, tx_ref_dbm = 23, pa_efficiency = 0.45,
  rx_mw = 80, connected_mw = 0.81 * 3.8, idle_mw = 1.56 * 3.8,
  edrx_mw = 0.81 * 3.8, psm_mw = 0.0039 * 3.8,
}

-- u-blox SARA-N211 (NB-IoT, Rel-13) at its 3.6 V nominal supply. Data-sheet
-- current consumption (u-blox SARA-N2 series data sheet, as reproduced in
-- the Exelonix NB|EASY user manual, "Performance tab"; unconfirmed against
-- the u-blox document itself): TX mode averaged over 2 s at -40 / -7 / +3 /
-- +13 / +23 dBm: 74 / 75 / 78 / 100 / 220 mA; RX mode 46 mA; active mode
-- (processor on, no radio activity) 6 mA; deep sleep 3 uA.
-- Assumptions: connected-idle and idle between paging occasions draw the
-- active-mode 6 mA (the source gives no idle-DRX figure; a pessimistic
-- stand-in); eDRX sleep draws the deep-sleep current.
modules.sara_n211 = {
  tx_table_dbm = { -40, -7, 3, 13, 23 },
  tx_table_mw = { 74 * 3.6, 75 * 3.6, 78 * 3.6, 100 * 3.6, 220 * 3.6 },
  rx_mw = 46 * 3.6, connected_mw = 6 * 3.6, idle_mw = 6 * 3.6,
  edrx_mw = 0.003 * 3.6, psm_mw = 0.003 * 3.6,
}

-- An unknown profile name is an error, not nil (the default module).
return require "mtc_names"(modules, "modules", "module profile")
