"""Azure Functions entry point (Python v2 programming model): composition only."""

import azure.functions as func

from functions.http_bp import bp as http_bp
from functions.sync_bp import bp as sync_bp

app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)
app.register_functions(sync_bp)
app.register_functions(http_bp)
