# Reference for perfkit.methods.survey.aggregate_scores: per item (row) over experts (columns),
# R base mean(x, trim = t, na.rm = TRUE) (which cuts floor(n * t) values at each end),
# median(), sd(). Run from this directory: Rscript make.R
set.seed(5)
items <- c("决策", "过程", "产出", "效益", "满意度", "ITEM6")
s <- matrix(round(runif(6 * 7, 55, 98), 1), nrow = 6, dimnames = list(items, paste0("E", 1:7)))
s[2, 3] <- NA; s[5, c(1, 6)] <- NA; s[6, ] <- c(80, 80, 80, 99, 40, 80, NA)
con <- file("scores.csv", open = "w", encoding = "UTF-8")
writeLines(c(paste(c("item", colnames(s)), collapse = ","),
             apply(cbind(rownames(s), ifelse(is.na(s), "", sprintf("%.1f", s))), 1, paste, collapse = ",")), con)
close(con)
f <- function(x, ...) apply(s, 1, function(r) x(r, ...))
out <- data.frame(item = items, mean = f(mean, na.rm = TRUE), median = f(median, na.rm = TRUE),
                  sd = f(sd, na.rm = TRUE), trim_0.1 = f(mean, trim = 0.1, na.rm = TRUE),
                  trim_0.2 = f(mean, trim = 0.2, na.rm = TRUE),
                  trim_1of7 = f(mean, trim = 1 / 7, na.rm = TRUE),
                  trim_0.4 = f(mean, trim = 0.4, na.rm = TRUE))
num <- sapply(out[-1], function(v) sprintf("%.17g", v))
con <- file("expected.csv", open = "w", encoding = "UTF-8")
writeLines(c(paste(names(out), collapse = ","), apply(cbind(out$item, num), 1, paste, collapse = ",")), con)
close(con)
