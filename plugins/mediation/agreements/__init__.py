"""Mediation agreements (人民调解协议书): draw up, sign, the PDF and its clocks."""
