"""Reading agency files into tidy rows (province_code, year, indicator_id, value). Never imports streamlit."""
