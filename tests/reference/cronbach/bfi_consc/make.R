# Reference for perfkit.methods.cronbach_alpha: psych::alpha with reverse-keyed items.
suppressPackageStartupMessages({library(psych); library(jsonlite)})
items <- if ("consc" == "agree") paste0("A", 1:5) else paste0("C", 1:5)
rev <- if ("consc" == "agree") "A1" else c("C4", "C5")
x <- bfi[complete.cases(bfi[, items]), items][1:500, ]
write.csv(x, "input_data.csv", quote = FALSE)
a <- alpha(x, keys = rev)
d <- a$alpha.drop; s <- a$item.stats
out <- list(reverse = rev, raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha,
            average_r = a$total$average_r,
            items = list(alpha_if_dropped = d$raw_alpha, std_alpha_if_dropped = d$std.alpha,
                         item_total_r = s$raw.r, item_rest_r = s$r.drop, std_r = s$std.r,
                         mean = s$mean, sd = s$sd))
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "cronbach", case = "bfi_consc", tool = "R psych::alpha(x, keys = reverse)",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  inputs = "input_data.csv = first 500 complete rows of psych::bfi items; reversed items in expected.json",
  tolerance = 1e-10, why = "closed form (covariances); only rounding differs"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
