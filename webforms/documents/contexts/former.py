"""Values shared by several documents under the names they had in records issued before the
identifiers became English: a document issued then still loads and reproduces."""

MODALITIES = {"apoyo_fortalecimiento": "family_support",
              "acogimiento_residencial": "residential_care",
              "acogimiento_familiar": "foster_care"}
