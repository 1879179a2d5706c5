# Reference for perfkit.methods.drivers: OLS with HC3 standard errors and the Shapley (LMG)
# split of R^2, computed by hand in base R (independent of statsmodels).
# Data: datasets::swiss (47 French-speaking provinces of Switzerland, 1888).
# "internal" = Education, Examination; "external" = Agriculture, Catholic, Infant.Mortality
# (the split is arbitrary; it only exercises the group totals).
suppressPackageStartupMessages(library(jsonlite))
d <- swiss
write.csv(d, "input_data.csv", quote = FALSE)
internal <- c("Education", "Examination")
external <- c("Agriculture", "Catholic", "Infant.Mortality")
terms <- c(internal, external)
fit <- lm(reformulate(terms, "Fertility"), data = d)
X <- model.matrix(fit); e <- resid(fit); n <- nrow(X); k <- ncol(X)
XtXi <- solve(crossprod(X))
h <- rowSums((X %*% XtXi) * X)                       # leverages
meat <- crossprod(X * (e / (1 - h)))                 # X' diag(e^2/(1-h)^2) X
V3 <- XtXi %*% meat %*% XtXi                         # HC3
meat0 <- crossprod(X * e); V0 <- XtXi %*% meat0 %*% XtXi               # HC0
V1 <- V0 * n / (n - k)                                                  # HC1
meat2 <- crossprod(X * (e / sqrt(1 - h))); V2 <- XtXi %*% meat2 %*% XtXi # HC2
b <- coef(fit); df <- n - k
coef_tab <- function(V) {
  se <- sqrt(diag(V)); t <- b / se; q <- qt(0.975, df)
  list(coef = unname(b), se = unname(se), t = unname(t), pvalue = unname(2 * pt(-abs(t), df)),
       ci_low = unname(b - q * se), ci_high = unname(b + q * se))
}
# Shapley / LMG by brute force over all subsets, R^2 from lm() on each subset
r2 <- function(S) if (length(S) == 0) 0 else summary(lm(reformulate(S, "Fertility"), data = d))$r.squared
p <- length(terms); lmg <- numeric(p)
for (j in seq_len(p)) {
  others <- terms[-j]
  for (s in 0:(p - 1)) {
    sets <- if (s == 0) list(character(0)) else combn(others, s, simplify = FALSE)
    w <- factorial(s) * factorial(p - s - 1) / factorial(p)
    for (S in sets) lmg[j] <- lmg[j] + w * (r2(c(S, terms[j])) - r2(S))
  }
}
sx <- sapply(d[terms], sd); sy <- sd(d$Fertility)
chg <- c(Education = 2, Examination = -1, Agriculture = 5, Catholic = 0, Infant.Mortality = -0.5)
out <- list(terms = terms, internal = internal, external = external,
            r2 = summary(fit)$r.squared, adj_r2 = summary(fit)$adj.r.squared,
            HC3 = coef_tab(V3), HC2 = coef_tab(V2), HC1 = coef_tab(V1), HC0 = coef_tab(V0),
            nonrobust = coef_tab(vcov(fit)),
            std_coef = unname(b[-1] * sx / sy), shapley_r2 = lmg,
            change = as.list(chg), contribution = unname(b[terms] * chg[terms]))
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
# cross-check (not used as reference): sandwich's HC3, if installed
chk <- if (requireNamespace("sandwich", quietly = TRUE))
  max(abs(sandwich::vcovHC(fit, type = "HC3") - V3)) else NA
write(toJSON(list(method = "drivers", case = "swiss",
  tool = "base R lm(); HC0-HC3 sandwich covariances and LMG/Shapley R^2 computed by hand",
  R = R.version.string,
  sandwich = if (requireNamespace("sandwich", quietly = TRUE)) as.character(packageVersion("sandwich")) else NA,
  hand_HC3_vs_sandwich_max_abs_diff = chk,
  inputs = "input_data.csv = datasets::swiss; outcome Fertility",
  tolerance = list(rel = 1e-9),
  why = "closed-form least squares; differences are rounding only"),
  auto_unbox = TRUE, pretty = TRUE, digits = NA), "meta.json")
