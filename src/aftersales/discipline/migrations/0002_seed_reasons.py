"""Seed the reasons catalogue (R-6.4) with articles 9–15 of 《员工奖惩制度实施细则》, chapter 3.

The wording is the source's. An article that names two outcomes is split into its sub-rules (款) so
that each carries one suggested kind: art. 9 and 10 (merit, then a further major merit at ≥ 10 万元)
and art. 14 (five targets). Chapters 4–6 are missing from the source; HR adds them in the catalogue.
Idempotent: an (article, clause) already present is left as HR edited it.
"""

from django.db import migrations

MERIT, MAJOR_MERIT = "merit", "major_merit"

REASONS = [
    (9, 1, "提供“行销新构想”,而为售后服务中心采用,记功一次。", MERIT),
    (9, 2, "该“行销新构想”一年内使售后服务中心获利10万元以上,再记大功一次。", MAJOR_MERIT),
    (10, 1, "业务员主动反映可开发的“新产品”而为售后服务中心采用,记功一次。", MERIT),
    (10, 2, "该“新产品”一年内使售后服务中心获利10万元以上者,再记大功一次。", MAJOR_MERIT),
    (11, 0, "提供竞争对手动态,被售后服务中心采用为政策者,记功一次。", MERIT),
    (12, 0, "客户信用调查属实,事先防范得宜,使售后服务中心避免蒙受损失者,记功一次。", MERIT),
    (13, 0, "开拓“新地区”、“新产品”或“新客户”,成效卓著者,记功一次。", MERIT),
    (14, 1, "达成上半年业绩目标者,记功一次。", MERIT),
    (14, 2, "达成全年度业绩目标者,记功一次。", MERIT),
    (14, 3, "连续三年度达成业绩目标者,记大功一次。", MAJOR_MERIT),
    (14, 4, "超越年度目标20%(含)—50(不含),记功一次。", MERIT),
    (14, 5, "超越年度目标50%(含)以上者,记大功一次。", MAJOR_MERIT),
    (15, 0, "凡售后服务中心列为“滞销品”,业务人员于规定期限内出清者,记功一次。", MERIT),
]


def seed_reasons(apps, schema_editor):
    reason_model = apps.get_model("discipline", "RewardReason")
    for article, clause, text, kind in REASONS:
        reason_model.objects.get_or_create(
            article=article, clause=clause, defaults={"text": text, "suggested_kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]

    operations = [migrations.RunPython(seed_reasons, migrations.RunPython.noop)]
