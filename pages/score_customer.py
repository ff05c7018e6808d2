from ui.frame import require_frame
from ui.placeholder import coming_soon

require_frame()

coming_soon(
    "Score a customer",
    "How likely is this customer to leave, and what would change it?",
    [
        "A form prefilled from a typical customer, or from one you pick by id",
        "Their churn probability, risk band and the reasons in your own column names",
        "What-if: change any fields and compare the risk before and after",
    ],
)
