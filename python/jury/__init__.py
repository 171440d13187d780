# pyright: strict, reportUnnecessaryIsInstance=false
"""Jury's Python client: the reference SDK's Python names against a Jury server (standard library only).

    from jury import JuryClient
    client = JuryClient()  # after `jury serve`: the saved local client in ~/.config/jury/credentials.json
"""

from .assets import AssetsApi
from .audiences import (
    AndFilter,
    AudienceManager,
    CountryFilter,
    JuryAudience,
    JuryFilter,
    JuryFilteredAudience,
    LanguageFilter,
    NotFilter,
    OrFilter,
)
from .client import DEFAULT_URL, JuryClient, resolve_connection
from .config import jury_config
from .models import JuryModel, ModelManager
from .credentials import credentials_path, parse_server_url, read_credentials
from .errors import (
    FailedUpload,
    FailedUploadException,
    JuryAuthError,
    JuryConflictError,
    JuryCredentialsError,
    JuryError,
    JuryForbiddenError,
    JuryItemError,
    JuryJobStalledError,
    JuryNetworkError,
    JuryNotFoundError,
    JuryRateLimitError,
    JuryServerError,
    JuryTimeoutError,
    JuryValidationError,
)
from .evaluations import EvaluationManager, JuryEvaluationRun
from .flows import FlowItemResult, FlowManager, JuryFlow, JuryFlowItem, JuryRankingJob, JuryRankingJobDefinition
from .jobs import JobManager, JuryJob, JuryJobDefinition
from .mri import JuryBenchmark, JuryLeaderboard, JuryParticipant, MriManager
from .settings import AllowNeitherBothSetting, JurySetting, MarkdownSetting, NoShuffleSetting

__all__ = [
    "DEFAULT_URL",
    "EvaluationManager",
    "JuryEvaluationRun",
    "JuryModel",
    "ModelManager",
    "AllowNeitherBothSetting",
    "AndFilter",
    "AssetsApi",
    "AudienceManager",
    "CountryFilter",
    "FailedUpload",
    "FailedUploadException",
    "FlowItemResult",
    "FlowManager",
    "JobManager",
    "JuryAudience",
    "JuryAuthError",
    "JuryBenchmark",
    "JuryClient",
    "JuryConflictError",
    "JuryCredentialsError",
    "JuryError",
    "JuryFilter",
    "JuryFilteredAudience",
    "JuryFlow",
    "JuryFlowItem",
    "JuryForbiddenError",
    "JuryItemError",
    "JuryJob",
    "JuryJobDefinition",
    "JuryJobStalledError",
    "JuryLeaderboard",
    "JuryNetworkError",
    "JuryNotFoundError",
    "JuryParticipant",
    "JuryRankingJob",
    "JuryRankingJobDefinition",
    "JuryRateLimitError",
    "JuryServerError",
    "JurySetting",
    "JuryTimeoutError",
    "JuryValidationError",
    "LanguageFilter",
    "MarkdownSetting",
    "MriManager",
    "NoShuffleSetting",
    "NotFilter",
    "OrFilter",
    "credentials_path",
    "jury_config",
    "parse_server_url",
    "read_credentials",
    "resolve_connection",
]
