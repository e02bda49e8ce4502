"""The đề án's statuses and the steps users take on it: the words the models, the transition table
(projects.workflow) and the audit trail share, at the bottom of the app so that each imports them downward."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã đăng ký")
    APPRAISING = "appraising", _("Đang thẩm định")
    # The national procedure: the Sở has sent the đề án to the Ministry's Cục, which appraises it.
    FORWARDED = "forwarded", _("Sở đã gửi Cục")
    CUC_REVIEW = "cuc_review", _("Cục đang thẩm định")
    RETURNED = "returned", _("Yêu cầu bổ sung")
    REJECTED = "rejected", _("Không phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    CONTRACTED = "contracted", _("Đã ký hợp đồng/giao nhiệm vụ")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    ADJUSTING = "adjusting", _("Đề nghị điều chỉnh, bổ sung")
    ACCEPTED = "accepted", _("Đã nghiệm thu")
    CLOSED = "closed", _("Đã thanh lý")
    SETTLED = "settled", _("Đã quyết toán")
    STOPPED = "stopped", _("Ngừng triển khai")
    WITHDRAWN = "withdrawn", _("Đã rút")


class WorkflowAction(models.TextChoices):
    """Every step a user can take on a đề án: the status moves and the records kept along the way."""

    SUBMIT = "submit", _("Đăng ký (trình) đề án")
    START_APPRAISAL = "start_appraisal", _("Đưa ra thẩm định")
    RETURN = "return", _("Yêu cầu bổ sung")
    REJECT = "reject", _("Không phê duyệt")
    APPROVE = "approve", _("Phê duyệt")
    CONTRACT = "contract", _("Ký hợp đồng/giao nhiệm vụ")
    START = "start", _("Bắt đầu thực hiện")
    REQUEST_ADJUSTMENT = "request_adjustment", _("Đề nghị điều chỉnh, bổ sung")
    APPROVE_ADJUSTMENT = "approve_adjustment", _("Phê duyệt điều chỉnh, bổ sung")
    DECLINE_ADJUSTMENT = "decline_adjustment", _("Không chấp thuận điều chỉnh")
    STOP = "stop", _("Ngừng triển khai")
    WITHDRAW = "withdraw", _("Rút đề án")
    ACCEPT = "accept", _("Nghiệm thu")
    CLOSE = "close", _("Thanh lý hợp đồng")
    SETTLE = "settle", _("Phê duyệt quyết toán")
    EDIT = "edit", _("Sửa đề án")
    APPRAISE = "appraise", _("Chấm phiếu thẩm định")
    REPORT_PROGRESS = "report_progress", _("Báo cáo tiến độ tháng")
    REQUEST_ADVANCE = "request_advance", _("Đề nghị tạm ứng")
    DECIDE_ADVANCE = "decide_advance", _("Duyệt tạm ứng")
    RECORD_DISBURSEMENT = "record_disbursement", _("Ghi nhận giải ngân")
    RECORD_OUTPUTS = "record_outputs", _("Ghi nhận kết quả đầu ra")
    UPLOAD_DOCUMENT = "upload_document", _("Tải lên tài liệu")
    # The national procedure (đề án khuyến công quốc gia).
    FORWARD = "forward", _("Gửi Cục (sau thẩm định cấp cơ sở)")
    CUC_RECEIVE = "cuc_receive", _("Cục tiếp nhận, đưa ra thẩm định")
    CUC_RETURN = "cuc_return", _("Cục yêu cầu bổ sung")
    CUC_REJECT = "cuc_reject", _("Cục không đưa vào kế hoạch")
    CUC_APPRAISE = "cuc_appraise", _("Chấm phiếu thẩm định của Bộ")
    NATIONAL_APPROVE = "national_approve", _("Phê duyệt trong kế hoạch khuyến công quốc gia")
    NATIONAL_PLAN_EDIT = "national_plan_edit", _("Lập kế hoạch khuyến công quốc gia")
