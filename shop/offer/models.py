from oscar.apps.offer.models import * 
