# Reference for perfkit.methods.chain_substitution with 4 factors, one negative (a margin), one
# unchanged, and a non-default order. Brute force over all 4! = 24 orders.
suppressPackageStartupMessages(library(jsonlite))
source("../chain_common.R")
plan <- c(units = 1200, rate = 0.85, margin = -0.04, months = 12)
actual <- c(units = 1350, rate = 0.80, margin = 0.03, months = 12)
write.csv(data.frame(factor = names(plan), plan = plan, actual = actual), "input.csv",
          row.names = FALSE, quote = FALSE)
ord <- c("rate", "units", "months", "margin")
res <- chain_reference(plan, actual, order = ord)
write(toJSON(res, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write_meta("four_factors", "order rate -> units -> months -> margin; margin changes sign; months unchanged")
