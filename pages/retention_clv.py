from ui.frame import require_frame
from ui.placeholder import coming_soon

require_frame()

coming_soon(
    "Retention & CLV",
    "What are customers worth, and how long do they stay?",
    [
        "Retention curves overall and by any group, with retention at 3, 6, 12 and 24 months",
        "Median customer lifetime and churn over a period",
        "Customer lifetime value and revenue at risk, with every assumption visible and editable",
    ],
)
