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
-- occasions: the sleep floor, the occasions themselves are charged as
-- receiving); edrx_mw (between eDRX paging windows); psm_mw; and for
-- connected-mode DRX (TS 36.321 5.7) cdrx_mw, the draw between
-- on-durations in RRC connected (vendors' "C-DRX" floor), and cdrx, whether
-- the module supports it (every Rel-13 device does; "(assumption)" where the
-- data sheet is silent). Both are stored for the C-DRX model; unset,
-- cdrx_mw follows idle_mw. Currents are converted at the supply
-- voltage the figures were given for: draw = I x V.
--
-- The catalogue. The list part of this table (modules[1], modules[2], ...)
-- names every profile once, in order, with the radio access technologies
-- its figures cover, that supply voltage and its source in short; `mtcsim
-- check --modules` prints it as a table (powers, currents at supply_v and
-- the source). A profile without a catalogue entry is an error there.
--
-- "(assumption)" marks a value the cited source does not give; such values
-- are our choice and say why. Where a figure comes from a measurement
-- paper rather than the vendor, the comment says so.

local modules = {}

local function about(name, rat, supply_v, source)
  modules[#modules + 1] = { name = name, rat = rat, supply_v = supply_v, source = source }
end

-- TR 45.820 battery-life method as commonly quoted (unconfirmed in the
-- primary text): TX 543 mW at 23 dBm, RX 90 mW, light sleep 3 mW (some quote
-- 2.4 mW), deep sleep 0.015 mW. The TR gives one transmit figure; lower
-- output levels follow the PA curve (pa_efficiency 0.45, unconfirmed). No
-- separate connected-idle state: light sleep is used for it. The method
-- gives powers, not currents: the catalogue shows them at 3.6 V (a lithium
-- thionyl chloride cell; assumption, only for the printed currents).
-- C-DRX: (assumption) supported, sleeping at the light-sleep floor.
modules.tr45820 = {
  tx_mw = 543, tx_ref_dbm = 23, pa_efficiency = 0.45,
  rx_mw = 90, connected_mw = 3, idle_mw = 3, edrx_mw = 0.015, psm_mw = 0.015,
  cdrx_mw = 3, cdrx = true,
}
about("tr45820", "NB-IoT", 3.6,
      "3GPP TR 45.820 battery-life method as quoted by studies that follow it (secondary); "
        .. "powers given, 3.6 V assumed for the currents")

-- Quectel BG96 at 3.8 V as measured by Joerke et al. and used in the public
-- ns-3 LENA-NB model (a measurement, not the data sheet): PSM 3.9 uA, idle
-- DRX 1.56 mA, eDRX idle and connected idle 0.81 mA, transmitting 155 mA
-- (at the 23 dBm the measurement used; lower levels by the PA curve, our
-- assumption: the measurement gives one level), receiving about 80 mW.
-- C-DRX: the measurement's connected-idle 0.81 mA is taken as the C-DRX
-- floor (assumption: the same state; the data sheet is not at hand here),
-- and supported (assumption: Rel-13 LTE-M / NB-IoT module).
modules.bg96 = {
  tx_mw = 155 * 3.8, tx_ref_dbm = 23, pa_efficiency = 0.45,
  rx_mw = 80, connected_mw = 0.81 * 3.8, idle_mw = 1.56 * 3.8,
  edrx_mw = 0.81 * 3.8, psm_mw = 0.0039 * 3.8,
  cdrx_mw = 0.81 * 3.8, cdrx = true,
}
about("bg96", "LTE-M, NB-IoT", 3.8,
      "Joerke et al. measurement as used by ns-3 LENA-NB (measurement, not the data sheet); "
        .. "one TX level (23 dBm)")

-- u-blox SARA-N211 (NB-IoT, Rel-13) at its 3.6 V nominal supply. Data-sheet
-- current consumption (u-blox SARA-N2 series data sheet, as reproduced in
-- the Exelonix NB|EASY user manual, "Performance tab"; unconfirmed against
-- the u-blox document itself): TX mode averaged over 2 s at -40 / -7 / +3 /
-- +13 / +23 dBm: 74 / 75 / 78 / 100 / 220 mA; RX mode 46 mA; active mode
-- (processor on, no radio activity) 6 mA; deep sleep 3 uA.
-- Assumptions: connected-idle and idle between paging occasions draw the
-- active-mode 6 mA (the source gives no idle-DRX figure; a pessimistic
-- stand-in); eDRX sleep draws the deep-sleep current. C-DRX: no figure,
-- (assumption) the idle sleep floor; supported (assumption: the source is
-- silent; Rel-13 NB-IoT has connected-mode DRX, TS 36.321 5.7).
modules.sara_n211 = {
  tx_table_dbm = { -40, -7, 3, 13, 23 },
  tx_table_mw = { 74 * 3.6, 75 * 3.6, 78 * 3.6, 100 * 3.6, 220 * 3.6 },
  rx_mw = 46 * 3.6, connected_mw = 6 * 3.6, idle_mw = 6 * 3.6,
  edrx_mw = 0.003 * 3.6, psm_mw = 0.003 * 3.6,
  cdrx_mw = 6 * 3.6, cdrx = true,
}
about("sara_n211", "NB-IoT", 3.6,
      "u-blox SARA-N2 series data sheet as reproduced in the Exelonix NB|EASY user manual "
        .. "(unconfirmed against u-blox's document); TX per level -40..23 dBm")

-- Nordic nRF9160 SiP (LTE-M and NB-IoT, Rel-13/14). Source: nRF9160
-- Product Specification (Nordic Infocenter, section "Modem current
-- consumption", typical values, band B20 column), unless marked:
--   PSM floor current (Cat-M1 and Cat-NB1)                     2.7 uA
--   Cat-M1 RMC uplink 180 kbit/s (TS 36.521-1 Annex A.2), average
--     at Pout 0 / 10 / 23 dBm                            45 / 50 / 105 mA
--     (B3 and B4 draw 115 mA at 23 dBm; we use B20, an 800 MHz band)
--   Cat-NB1 RMC, 1 subcarrier at 15 kHz, "balanced TX and RX" (TX 33 %,
--     RX 33 % of the time), average at Pout 0 / 10 dBm       35 / 45 mA
--   eDRX average, one PO per PTW of 2.56 s: Cat-M1 18 uA (81.92 s cycle),
--     6 uA (655 s); Cat-NB1 37 uA, 9 uA (averages, used only as a check:
--     the 2.7 uA floor below lies under every one of them)
-- Voltage: Nordic's Online Power Profiler for LTE measures at 3.7 V on VDD
-- (its "Guidelines (LTE)" page, test setup), and we take the Product
-- Specification's typical figures at the same 3.7 V (the table's own
-- supply condition is not in the excerpt at hand: unconfirmed).
-- States:
--   TX: the Cat-M1 RMC averages per output level as a measured table. An
--     uplink RMC transmits in most subframes, so its average is taken as
--     the transmit draw (assumption: the few receive subframes are in it).
--   RX: no receive-only figure in the specification; (assumption) 35 mA,
--     the Cat-NB1 balanced RMC at 0 dBm: with the PA at 0 dBm its share is
--     small and the figure is close to the radio-on draw of a 180 kHz
--     receiver (the simulator scales rx_mw for LTE-M's wider one).
--   connected (neither sending nor receiving): no figure; (assumption) 3 mW,
--     the project's default for this state (TR 45.820 light sleep), about
--     0.81 mA at 3.7 V, the same as BG96's measured connected idle.
--   idle, eDRX, PSM: the PSM floor, 2.7 uA. Nordic's white paper nWP034
--     (nRF9160 power consumption section) shows that between idle-mode DRX
--     paging occasions the draw is the typical PSM-mode floor (its figure
--     "PSM, cDRX, and iDRX current consumption example").
--   C-DRX: supported (the same nWP034 figure shows the modem in connected-
--     mode DRX after a TAU); floor: no figure, (assumption) the idle floor.
modules.nrf9160 = {
  tx_table_dbm = { 0, 10, 23 },
  tx_table_mw = { 45 * 3.7, 50 * 3.7, 105 * 3.7 },
  rx_mw = 35 * 3.7, connected_mw = 3,
  idle_mw = 0.0027 * 3.7, edrx_mw = 0.0027 * 3.7, psm_mw = 0.0027 * 3.7,
  cdrx_mw = 0.0027 * 3.7, cdrx = true,
}
about("nrf9160", "LTE-M, NB-IoT", 3.7,
      "Nordic nRF9160 Product Specification, Modem current consumption (B20, typ.); "
        .. "nWP034 power consumption; RX and connected are assumptions")

-- China Mobile M5311 NB-IoT module (Rel-13/14), as quoted on M5Stack's
-- product page "Module NBIoT" (SKU M028; a reseller quoting the module's
-- figures: secondary): PSM 3 uA; idle mode at DRX 1.28 s 0.4 mA; TX 167 mA
-- at 23 dBm (15 kHz single tone); RX 54 mA. The page gives no supply
-- voltage: (assumption) 3.6 V, a lithium thionyl chloride cell; its
-- currents are what the catalogue shows.
-- Assumptions: one transmit level, lower ones by the PA curve (0.45, as
-- for BG96); the 0.4 mA idle figure is an average over DRX cycles that
-- includes the paging occasions, which the simulator charges again as
-- receiving (a small double count, kept: no floor figure is given);
-- connected 3 mW (the project's default for this state, as for nrf9160);
-- eDRX sleep at the PSM figure; C-DRX supported, floor at idle's.
modules.m5311 = {
  tx_mw = 167 * 3.6, tx_ref_dbm = 23, pa_efficiency = 0.45,
  rx_mw = 54 * 3.6, connected_mw = 3, idle_mw = 0.4 * 3.6,
  edrx_mw = 0.003 * 3.6, psm_mw = 0.003 * 3.6,
  cdrx_mw = 0.4 * 3.6, cdrx = true,
}
about("m5311", "NB-IoT", 3.6,
      "China Mobile M5311 as quoted by M5Stack's Module NBIoT (SKU M028) page (secondary); "
        .. "no voltage given, 3.6 V assumed")

-- An unknown profile name is an error, not nil (the default module).
return require "mtc_names"(modules, "modules", "module profile")
