"""Azure Functions entry point (Python v2 programming model): composition only."""

import os

import azure.functions as func

from connector import telemetry
from functions.http_bp import bp as http_bp
from functions.sync_bp import bp as sync_bp

# Application Insights through OpenTelemetry when the app has a connection string (the template sets it).
telemetry.configure(os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING"))

app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)
app.register_functions(sync_bp)
app.register_functions(http_bp)
