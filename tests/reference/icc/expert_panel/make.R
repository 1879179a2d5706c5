# Reference for perfkit.cycle.evaluation.key_evaluation / icc: ICC(2,1) and ICC(2,k)
# (two-way random, absolute agreement; Shrout & Fleiss 1979) on the indicator x expert matrix of
# score fractions (score / weight) of a simulated five-expert panel, by R psych::ICC with
# lmer = FALSE (the classical two-way ANOVA). Run from this directory: Rscript make.R
suppressPackageStartupMessages({library(psych); library(jsonlite)})
set.seed(2024)
ind <- data.frame(
  level1 = rep(c("决策", "过程", "产出", "效益"), each = 3),
  level2 = c("项目立项", "绩效目标", "资金投入", "资金管理", "资金管理", "组织实施",
             "数量", "质量", "时效", "项目效益", "项目效益", "满意度"),
  level3 = c("立项依据充分性", "绩效目标合理性", "预算编制科学性", "资金到位率", "预算执行率",
             "制度执行有效性", "实际完成率", "质量达标率", "完成及时性", "社会效益", "可持续影响",
             "服务对象满意度"),
  weight = c(5, 5, 5, 7, 7, 6, 10, 10, 10, 10, 15, 10))
experts <- paste0("专家", 1:5)
q <- runif(nrow(ind), 0.55, 0.95)            # the indicator's true quality
b <- rnorm(length(experts), 0, 0.05)         # each expert's leniency
f <- outer(q, b, "+") + matrix(rnorm(nrow(ind) * length(experts), 0, 0.06), nrow(ind))
f <- pmin(pmax(f, 0), 1)
s <- round(f * ind$weight * 2) / 2           # half points, as experts write them
s <- pmin(pmax(s, 0), ind$weight)
colnames(s) <- experts
long <- do.call(rbind, lapply(seq_along(experts), function(j)
  data.frame(被评价对象编码 = "KE001", 专家 = experts[j], 一级指标 = ind$level1,
             二级指标 = ind$level2, 三级指标 = ind$level3, 分值 = ind$weight, 得分 = s[, j])))
con <- file("expert_scores.csv", open = "w", encoding = "UTF-8")
write.csv(long, con, row.names = FALSE, quote = FALSE, fileEncoding = "UTF-8")
close(con)
x <- s / ind$weight
r <- ICC(x, lmer = FALSE)$results
g <- function(type, col) r[r$type == type, col]
out <- list(icc2_1 = g("ICC2", "ICC"), icc2_1_lower = g("ICC2", "lower bound"),
            icc2_1_upper = g("ICC2", "upper bound"), icc2_k = g("ICC2k", "ICC"),
            icc2_k_lower = g("ICC2k", "lower bound"), icc2_k_upper = g("ICC2k", "upper bound"),
            F = g("ICC2", "F"), df1 = g("ICC2", "df1"), df2 = g("ICC2", "df2"), p = g("ICC2", "p"),
            total_mean = sum(rowMeans(s)))
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
write(toJSON(list(method = "icc", case = "expert_panel",
  tool = "R psych::ICC(x, lmer = FALSE), x = score / weight (12 indicators x 5 experts)",
  R = R.version.string, psych = as.character(packageVersion("psych")),
  inputs = "expert_scores.csv (UTF-8, Chinese headers as on an expert scoring sheet)",
  tolerance = list(rtol = 1e-9, atol = 1e-12),
  why = "closed-form ANOVA mean squares; F quantiles for the limits agree to ~1e-12"),
  auto_unbox = TRUE, pretty = TRUE), "meta.json")
