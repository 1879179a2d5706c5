# Reference for perfkit.methods.chain_substitution (连环替代法) and the order range.
# Classic textbook case: 材料费用 = 产量 × 单耗 × 单价 (plan 100 × 8 × 5 = 4000; actual 110 × 7 × 6 = 4620),
# substituted in the conventional order quantity -> consumption -> price; by hand the effects are
# 400, -550 and 770. Computed here by brute force over all 3! orders.
suppressPackageStartupMessages(library(jsonlite))
source("../chain_common.R")
plan <- c("产量" = 100, "单耗" = 8, "单价" = 5)
actual <- c("产量" = 110, "单耗" = 7, "单价" = 6)
write.csv(data.frame(factor = names(plan), plan = plan, actual = actual), "input.csv",
          row.names = FALSE, quote = FALSE, fileEncoding = "UTF-8")
res <- chain_reference(plan, actual, order = names(plan))
write(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write_meta("textbook", "3 factors, default order; hand values 400, -550, 770")
